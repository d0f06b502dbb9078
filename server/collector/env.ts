/**
 * The collector's configuration, parsed once from the environment at start. Nothing else in
 * the collector reads `process.env`; bad values end the process with a readable message.
 */
import { z } from "zod";
import { AllowedHostsSchema } from "../../services/shared/host-allow-list.ts";
import { forwardEnvShape } from "./forward/env.ts";

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** zod schema of the collector's environment. */
export const CollectorEnvSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: int(4318, 0, 65535),
  /** OTLP/gRPC port on HOST; unset = PORT - 1 (4317 next to 4318, and random when PORT is 0). */
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Extra Host names to answer besides loopback and HOST (comma-separated): a DNS rebinding guard. */
  ALLOWED_HOSTS: AllowedHostsSchema,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .default("postgresql://postgres@127.0.0.1:5432/switchyard"),
  /**
   * Largest accepted request body, measured while streaming and again after gunzip. 64 MiB: an
   * export of 50,000 typical spans is ~17 MB of protobuf (and an OTel Collector may send 8,192 big ones).
   */
  BODY_LIMIT_BYTES: int(64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  /**
   * Ingest is latency-bound (each exporter waits for its commit): smaller batches written by
   * several connections at once beat big batches on 2 cores (bench/ingest.ts: 1024/1 ms/3 gave
   * ~28k spans/s where 4096/5 ms/3 gave ~22k with the same write path).
   */
  BATCH_MAX_SPANS: int(1024, 1, 100_000),
  BATCH_LINGER_MS: int(1, 0, 10_000),
  /** node-postgres connections for writes (= concurrent batch writes) plus one for retention. */
  DB_POOL_SIZE: int(3, 1, 64),
  /** Longest any statement may run (writes and reads); a stuck write answers 503 instead of hanging. */
  DB_STATEMENT_TIMEOUT_MS: int(30_000, 100, 600_000),
  /** Spans accepted but not yet committed before the collector answers 503 (backpressure). */
  MAX_PENDING_SPANS: int(200_000, 1000, 10_000_000),
  SPAN_RETENTION_MAX_SPANS: int(2_000_000, 1, 1_000_000_000),
  RETENTION_INTERVAL_MS: int(30_000, 100, 86_400_000),
  /** Service-map aggregates (server/service-map/aggregator.ts): write interval, parent wait, memory. */
  SERVICE_MAP_FLUSH_MS: int(1000, 10, 60_000),
  SERVICE_MAP_HOLD_MS: int(10_000, 0, 600_000),
  SERVICE_MAP_RECENT_SPANS: int(200_000, 1000, 10_000_000),
  SERVICE_MAP_MAX_PENDING: int(50_000, 100, 1_000_000),
  SERVICE_MAP_RETENTION_HOURS: int(168, 1, 24 * 365),
  /** SWITCHYARD_FORWARD_*: sending every stored span on to another OTLP endpoint (server/collector/forward/env.ts). */
  ...forwardEnvShape,
  /**
   * Jaeger query API (server/collector/jaeger/) on HOST: a port, or "off". Unset = 16686 (Jaeger
   * query's port) beside the default PORT, shifted with PORT otherwise (test slots), random when PORT is 0.
   */
  SWITCHYARD_JAEGER_QUERY_PORT: z.union([z.literal("off"), z.coerce.number().int().min(0).max(65535)]).optional(),
});
export type CollectorEnv = z.infer<typeof CollectorEnvSchema>;

/** The OTLP/gRPC port to bind: GRPC_PORT, else the one below the HTTP port (0 stays 0). */
export function grpcPortOf(env: Pick<CollectorEnv, "PORT" | "GRPC_PORT">): number {
  return env.GRPC_PORT ?? Math.max(env.PORT - 1, 0);
}

/** Jaeger query's own port, and how far it sits above the collector's default HTTP port. */
const JAEGER_QUERY_PORT = 16686;
const JAEGER_QUERY_OFFSET = JAEGER_QUERY_PORT - 4318;

/** The Jaeger query API's port: SWITCHYARD_JAEGER_QUERY_PORT, else PORT + 12368 (16686, 16786 for tests; 0 stays 0); null when "off". */
export function jaegerQueryPortOf(env: Pick<CollectorEnv, "PORT" | "SWITCHYARD_JAEGER_QUERY_PORT">): number | null {
  const set = env.SWITCHYARD_JAEGER_QUERY_PORT;
  if (set === "off") return null;
  if (set !== undefined) return set;
  return env.PORT === 0 ? 0 : Math.min(env.PORT + JAEGER_QUERY_OFFSET, 65535);
}

/** Parses `source` (default `process.env`); prints every problem and exits(1) when invalid. */
export function parseCollectorEnv(source: NodeJS.ProcessEnv = process.env): CollectorEnv {
  const parsed = CollectorEnvSchema.safeParse(source);
  if (!parsed.success) {
    console.error(`collector: invalid environment\n${z.prettifyError(parsed.error)}`);
    process.exit(1);
  }
  return parsed.data;
}
