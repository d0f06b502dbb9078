import { z } from "zod";
import { InstanceIdSchema } from "../../contracts/index.ts";
import { CommonEnv, parseEnv } from "../env.ts";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** Discovery settings of a service process, parsed once (see docs/architecture.md, Discovery). */
const DiscoveryEnvSchema = z.object({
  REDIS_URL: CommonEnv.REDIS_URL,
  REDIS_PREFIX: CommonEnv.REDIS_PREFIX,
  /** The port this process listens on (the same PORT its own env.ts reads). */
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Set by the launcher (`inventory-2`); random when absent. Also the spans' service.instance.id. */
  SERVICE_INSTANCE_ID: InstanceIdSchema.optional(),
  SERVICE_VERSION: z.string().min(1).max(64).default("0.1.0"),
  /** Off: no registration, clients use their configured URLs. */
  DISCOVERY_ENABLED: bool.default(true),
  DISCOVERY_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** An instance without a heartbeat for this long is no longer resolved. */
  DISCOVERY_TTL_MS: z.coerce.number().int().min(300).max(300_000).default(3000),
  /** How often clients re-read the registry (changes are also pushed over pub/sub). */
  DISCOVERY_REFRESH_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** How long an instance that refused a connection (or failed 3 times in a row) is skipped. */
  DISCOVERY_EJECT_MS: z.coerce.number().int().min(100).max(300_000).default(5000),
});
export type DiscoveryEnv = z.infer<typeof DiscoveryEnvSchema>;

let parsed: DiscoveryEnv | undefined;

/** The discovery env, parsed on first use (a bad value stops the process with a clear message). */
export function discoveryEnv(): DiscoveryEnv {
  parsed ??= parseEnv(DiscoveryEnvSchema);
  return parsed;
}
