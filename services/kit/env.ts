import { z } from "zod";
import { AllowedHostsSchema } from "../shared/host-allow-list.ts";

/** Env fields every service shares; each service's own `env.ts` picks what it needs. */
export const CommonEnv = {
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/switchyard"),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  /** BullMQ key prefix, so tests (`sytest`) never touch the dev queues (`sy`). */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default("sy"),
  OTLP_TRACES_URL: z.url().default("http://127.0.0.1:4318/v1/traces"),
  /** Host names answered besides loopback (comma-separated, e.g. `order,my-box.lan`); DNS rebinding guard. */
  ALLOWED_HOSTS: AllowedHostsSchema,
} as const;

/** A TCP port number as it arrives in the environment (a string). */
export const PortSchema = z.coerce.number().int().min(1).max(65535);

/**
 * Parses the environment once against `schema`. On bad values it prints every problem, one per
 * line, and exits with code 1: a misconfigured process must not half-start.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  source: Record<string, string | undefined> = process.env,
): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
  console.error(`Invalid environment:\n${lines.join("\n")}`);
  process.exit(1);
}
