import { z } from "zod";
import { DEFAULT_PORTS } from "../contracts/index.ts";
import { CommonEnv, parseEnv, PortSchema } from "../kit/env.ts";

/** Notification's configuration, parsed once at start. */
export const env = parseEnv(
  z.object({
    PORT: PortSchema.default(DEFAULT_PORTS.notification),
    DATABASE_URL: CommonEnv.DATABASE_URL,
    REDIS_URL: CommonEnv.REDIS_URL,
    REDIS_PREFIX: CommonEnv.REDIS_PREFIX,
    OTLP_TRACES_URL: CommonEnv.OTLP_TRACES_URL,
    ALLOWED_HOSTS: CommonEnv.ALLOWED_HOSTS,
  }),
);
