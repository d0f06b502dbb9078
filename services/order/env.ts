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
    ALLOWED_HOSTS: CommonEnv.ALLOWED_HOSTS,
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
    /**
     * A saga step that gets no answer is tried again with exponential backoff up to this delay,
     * until the order is ORDER_GIVE_UP_AFTER_MS old (saga/run.ts).
     */
    SAGA_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** Recovery sweeper (recovery/sweeper.ts): how often it looks for orders that are due. */
    ORDER_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
    /** How long a flow owns its order, and a choreography may go without news, before the sweeper asks. */
    ORDER_STALE_AFTER_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(30_000),
    /** Past this age an order that cannot be finished forward is compensated. */
    ORDER_GIVE_UP_AFTER_MS: z.coerce.number().int().min(5_000).max(7 * 86_400_000).default(300_000),
    /** Cap of the backoff between the sweeper's attempts at one order. */
    ORDER_RECOVERY_MAX_BACKOFF_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  }),
);

export type OrderEnv = typeof env;
