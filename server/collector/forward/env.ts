/**
 * Forwarding settings, part of the collector's env schema (server/collector/env.ts spreads
 * {@link forwardEnvShape} into it). Forwarding is off unless SWITCHYARD_FORWARD_OTLP_URL is set.
 */
import { z } from "zod";

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/**
 * Parses `k=v,k2=v2` the way OTEL_EXPORTER_OTLP_HEADERS is read: pairs split on commas, key and
 * value trimmed, values percent-decoded (so a value may carry `,` or `=` as %2C / %3D).
 */
export function parseOtlpHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(",")) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`"${pair.trim()}" is not key=value`);
    const key = pair.slice(0, eq).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) throw new Error(`"${key}" is not a valid header name`);
    headers[key] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return headers;
}

const HeadersSchema = z
  .string()
  .default("")
  .transform((text, ctx) => {
    try {
      return parseOtlpHeaders(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `must be k=v,k2=v2: ${(err as Error).message}` });
      return z.NEVER;
    }
  });

/** The forwarding fields of the collector's environment. */
export const forwardEnvShape = {
  /** OTLP/HTTP traces endpoint every accepted span is sent on to (e.g. http://jaeger:4318/v1/traces); unset = off. */
  SWITCHYARD_FORWARD_OTLP_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+/, "must be an http:// or https:// URL (an OTLP/HTTP traces endpoint)")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Extra request headers for the remote (auth tokens), like OTEL_EXPORTER_OTLP_HEADERS. */
  SWITCHYARD_FORWARD_OTLP_HEADERS: HeadersSchema,
  /** Bounds of the buffer of spans waiting to be forwarded; past them the oldest are dropped. */
  SWITCHYARD_FORWARD_BUFFER_SPANS: int(100_000, 1, 10_000_000),
  SWITCHYARD_FORWARD_BUFFER_BYTES: int(64 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
  /** Retries back off exponentially from the first to the max delay (or as Retry-After says, capped at the max). */
  SWITCHYARD_FORWARD_RETRY_MIN_MS: int(250, 1, 60_000),
  SWITCHYARD_FORWARD_RETRY_MAX_MS: int(30_000, 1, 600_000),
  /** One forward request's deadline. */
  SWITCHYARD_FORWARD_TIMEOUT_MS: int(10_000, 100, 600_000),
  /** On shutdown, how long the collector keeps sending what is buffered before it gives up (counted as dropped). */
  SWITCHYARD_FORWARD_DRAIN_MS: int(3_000, 0, 60_000),
};

/** Parsed forwarding settings. */
export type ForwardEnv = z.output<z.ZodObject<typeof forwardEnvShape>>;
