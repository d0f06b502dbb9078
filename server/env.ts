import { z } from "zod";
import { ApiKeySchema } from "../services/contracts/gateway.ts";
import { AllowedHostsSchema } from "../services/shared/host-allow-list.ts";

/**
 * The dashboard server's environment. Parsed once, lazily on first use, so that `next build`
 * can import the route modules without a configured environment; every field has a local default.
 */
const DashboardEnvSchema = z.object({
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/switchyard"),
  /** Every dashboard read is cancelled by PostgreSQL after this long (ms). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Orders are placed, read and listed through the gateway with this key (the launcher passes the local one). */
  GATEWAY_URL: z.url().default("http://127.0.0.1:4100"),
  GATEWAY_API_KEY: ApiKeySchema.optional(),
  INVENTORY_URL: z.url().default("http://127.0.0.1:4102"),
  COLLECTOR_URL: z.url().default("http://127.0.0.1:4318"),
  /** The queues' Redis (dead-letter replay goes through server/dlq, never from a page). */
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default("sy"),
  /** Same as the services' DISCOVERY_TTL_MS: an instance silent this long is shown as down. */
  DISCOVERY_TTL_MS: z.coerce.number().int().min(300).max(300_000).default(3000),
  /** Host names the dashboard answers besides loopback (comma-separated); DNS rebinding guard, see proxy.ts. */
  ALLOWED_HOSTS: AllowedHostsSchema,
});

/** Validated dashboard configuration. */
export type DashboardEnv = z.infer<typeof DashboardEnvSchema>;

let parsed: DashboardEnv | undefined;

/**
 * Returns the validated environment. On bad values it throws one error listing every problem:
 * inside Next.js a thrown error surfaces in the server log, where `process.exit` would be silent.
 */
export function getEnv(source: Record<string, string | undefined> = process.env): DashboardEnv {
  if (parsed) return parsed;
  const result = DashboardEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new Error(`Invalid dashboard environment:\n${lines.join("\n")}`);
  }
  parsed = result.data;
  return parsed;
}
