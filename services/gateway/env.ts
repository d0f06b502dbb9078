import { z } from "zod";
import { DEFAULT_PORTS } from "../contracts/index.ts";
import { CommonEnv, parseEnv, PortSchema } from "../kit/env.ts";

const url = (port: number) => z.url().default(`http://127.0.0.1:${port}`);

/** The gateway's configuration, parsed once at start. */
export const env = parseEnv(
  z.object({
    PORT: PortSchema.default(DEFAULT_PORTS.gateway),
    REDIS_URL: CommonEnv.REDIS_URL,
    REDIS_PREFIX: CommonEnv.REDIS_PREFIX,
    OTLP_TRACES_URL: CommonEnv.OTLP_TRACES_URL,
    ALLOWED_HOSTS: CommonEnv.ALLOWED_HOSTS,
    /** Used only while no instance of the service is registered (discovery resolves by name). */
    ORDER_URL: url(DEFAULT_PORTS.order),
    INVENTORY_URL: url(DEFAULT_PORTS.inventory),
    PAYMENT_URL: url(DEFAULT_PORTS.payment),
    SHIPPING_URL: url(DEFAULT_PORTS.shipping),
    /** For `links.trace` in v2 answers. */
    DASHBOARD_URL: url(DEFAULT_PORTS.dashboard),
    /** HMAC secret of signed tokens; when absent one is generated once and kept in Redis. */
    GATEWAY_TOKEN_SECRET: z.string().min(32).optional(),
    /** Token bucket per API key: sustained requests per second, and the burst it allows. */
    GATEWAY_RATE_LIMIT_RPS: z.coerce.number().positive().max(100_000).default(100),
    GATEWAY_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
    /** How long cached reads (the product catalogue) are served from Redis. */
    GATEWAY_CACHE_TTL_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
    GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(64).max(10_000_000).default(16_384),
    /** How long an aggregated request waits for each part before answering without it. */
    GATEWAY_PART_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  }),
);

export type GatewayEnv = typeof env;
