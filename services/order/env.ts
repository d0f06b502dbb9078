import { z } from "zod";
import { DEFAULT_PORTS } from "../contracts/index.ts";
import { CommonEnv, parseEnv, PortSchema } from "../kit/env.ts";

/** Order's configuration, parsed once at start. */
export const env = parseEnv(
  z.object({
    PORT: PortSchema.default(DEFAULT_PORTS.order),
    DATABASE_URL: CommonEnv.DATABASE_URL,
    REDIS_URL: CommonEnv.REDIS_URL,
    REDIS_PREFIX: CommonEnv.REDIS_PREFIX,
    OTLP_TRACES_URL: CommonEnv.OTLP_TRACES_URL,
    INVENTORY_URL: z.url().default(`http://127.0.0.1:${DEFAULT_PORTS.inventory}`),
    PAYMENT_URL: z.url().default(`http://127.0.0.1:${DEFAULT_PORTS.payment}`),
    SHIPPING_URL: z.url().default(`http://127.0.0.1:${DEFAULT_PORTS.shipping}`),
    /** How long a caller waits for a credit-check reply before the request counts as timed out. */
    CREDIT_CHECK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
    /**
     * A pause before each saga step, so a person (or the crash test) can watch a saga in flight.
     * 0 in normal runs; it never stands in for waiting on a result.
     */
    SAGA_STEP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  }),
);

export type OrderEnv = typeof env;
