/**
 * Assembles the collector: HTTP server, span batcher over a node-postgres pool, Prisma client
 * for the read API, retention job. Used by main.ts and, in-process, by the integration tests.
 * Deliberately imports nothing from OpenTelemetry: the collector never traces itself.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { createDb, type Db } from "../db.ts";
import { SpanBatcher } from "../store/batcher.ts";
import { insertSpansIsolating } from "../store/write.ts";
import { getTrace } from "../store/read.ts";
import { startRetentionJob } from "../store/retention.ts";
import { ServiceMapAggregator } from "../service-map/aggregator.ts";
import { createRequestListener } from "./http/routes.ts";
import { createGrpcIngest } from "./grpc/trace-service.ts";
import { createForwarding } from "./forward/index.ts";
import { grpcPortOf, jaegerQueryPortOf, type CollectorEnv } from "./env.ts";
import { createJaegerQueryServer } from "./jaeger/server.ts";
import { allowedHostList } from "../../services/shared/host-allow-list.ts";
import type { StoredSpan } from "../store/types.ts";

/** A running collector. */
export type Collector = {
  server: Server;
  db: Db;
  pool: pg.Pool;
  /** Service-map aggregator fed by every committed batch (tests flush it directly). */
  aggregator: ServiceMapAggregator;
  /** Listens on env HOST:PORT (PORT 0 = random); resolves with the bound port. */
  listen: () => Promise<number>;
  /** The bound OTLP/gRPC port (env GRPC_PORT), or null before `listen`. */
  grpcPort: () => number | null;
  /** The bound Jaeger query API port (server/collector/jaeger/), or null (before `listen`, "off", or its port taken). */
  jaegerQueryPort: () => number | null;
  /** Stops accepting, answers in-flight requests, flushes pending spans, closes the DB. */
  close: () => Promise<void>;
};

/** Logger used by the collector; console by default. */
export type CollectorLog = { info: (msg: string) => void; error: (msg: string, err?: unknown) => void };
const consoleLog: CollectorLog = {
  info: (msg) => console.log(`collector: ${msg}`),
  error: (msg, err) => console.error(`collector: ${msg}`, err),
};

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Keep-alive exporters may hold sockets open; drop them after the grace period.
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}

/** Builds (but does not start) a collector from its parsed env. */
export function createCollector(env: CollectorEnv, log: CollectorLog = consoleLog): Collector {
  // One pool for the write path, health and retention; sized so every batch writer has a connection.
  // Deadlines so no write waits forever on the database (a lock, a dead server, a lost network):
  // a write that fails answers the exporter 503 + Retry-After, and its connection is discarded.
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: env.DB_POOL_SIZE + 1,
    application_name: "switchyard-collector",
    connectionTimeoutMillis: 5_000,
    statement_timeout: env.DB_STATEMENT_TIMEOUT_MS,
    query_timeout: env.DB_STATEMENT_TIMEOUT_MS + 5_000,
  });
  pool.on("error", (err) => log.error("idle database connection failed", err));
  const db = createDb(env.DATABASE_URL, { statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS });
  const aggregator = new ServiceMapAggregator(pool, {
    flushIntervalMs: env.SERVICE_MAP_FLUSH_MS,
    holdMs: env.SERVICE_MAP_HOLD_MS,
    maxRecentSpans: env.SERVICE_MAP_RECENT_SPANS,
    maxPending: env.SERVICE_MAP_MAX_PENDING,
    retentionMs: env.SERVICE_MAP_RETENTION_HOURS * 3_600_000,
    onError: log.error,
  });
  // Spans are folded into the service map only once committed; the fold is synchronous
  // in-memory work, the aggregates are written by the aggregator's own timer.
  const writeAndFold = async (spans: StoredSpan[]) => {
    const refused = await insertSpansIsolating(pool, spans);
    if (refused.size > 0) log.error(`database refused ${refused.size} span(s) of a batch of ${spans.length}; the others are stored`);
    try {
      aggregator.fold(refused.size === 0 ? spans : spans.filter((s) => !refused.has(s)));
    } catch (err) {
      log.error("service map: folding a batch failed", err);
    }
    return refused;
  };
  const batcher = new SpanBatcher(writeAndFold, {
    maxBatchSpans: env.BATCH_MAX_SPANS,
    lingerMs: env.BATCH_LINGER_MS,
    maxConcurrentWrites: env.DB_POOL_SIZE,
    maxPendingSpans: env.MAX_PENDING_SPANS,
  });
  // Off unless SWITCHYARD_FORWARD_OTLP_URL is set; told of each stored export by both transports.
  const forwarding = createForwarding(env, log.error);
  const server = createServer(
    createRequestListener({
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      storeSpans: (spans) => batcher.add(spans),
      getTrace: (traceId) => getTrace(db, traceId),
      pingDb: async () => void (await pool.query("SELECT 1")),
      logError: log.error,
      allowedHosts: allowedHostList(env.ALLOWED_HOSTS, env.HOST),
      forwarding,
    }),
  );
  // Longer than exporters' idle timeouts, so a reused keep-alive socket is not closed under them.
  server.keepAliveTimeout = 65_000;
  let stopRetention: (() => Promise<void>) | null = null;

  // OTLP/gRPC: same decoder, batcher and size limit as the HTTP route.
  const grpcIngest = createGrpcIngest({ maxMessageBytes: env.BODY_LIMIT_BYTES, storeSpans: (spans) => batcher.add(spans), onStored: forwarding?.accept, logError: log.error });

  const listenHttp = () =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(env.PORT, env.HOST, () => {
        server.off("error", reject);
        aggregator.start();
        stopRetention = startRetentionJob(pool, {
          maxSpans: env.SPAN_RETENTION_MAX_SPANS,
          intervalMs: env.RETENTION_INTERVAL_MS,
          onError: (err) => log.error("retention pass failed", err),
          onResult: (r) => r.deletedSpans > 0 && log.info(`retention deleted ${r.deletedTraces} traces / ${r.deletedSpans} spans`),
        });
        resolve((server.address() as AddressInfo).port);
      });
    });

  // Jaeger query API, read-only: a taken port (a real Jaeger on 16686, say) is logged, not fatal,
  // so ingest never depends on it.
  const jaegerQuery = createJaegerQueryServer({ db, allowedHosts: allowedHostList(env.ALLOWED_HOSTS, env.HOST), logError: log.error });
  const listenJaegerQuery = async () => {
    const port = jaegerQueryPortOf(env);
    if (port === null) return;
    try {
      log.info(`Jaeger query API on http://${env.HOST}:${await jaegerQuery.listen(env.HOST, port)}`);
    } catch (err) {
      log.error(`Jaeger query API not started: ${env.HOST}:${port}: ${(err as Error).message} (set SWITCHYARD_JAEGER_QUERY_PORT, or "off")`);
    }
  };

  // gRPC first: if its port is taken, fail before the HTTP side starts its jobs.
  const listen = async () => {
    const grpcPort = grpcPortOf(env);
    await grpcIngest.listen(env.HOST, grpcPort).catch((err: unknown) => {
      throw new Error(`OTLP/gRPC port ${env.HOST}:${grpcPort}: ${(err as Error).message} (set GRPC_PORT)`, { cause: err });
    });
    const port = await listenHttp();
    await listenJaegerQuery();
    return port;
  };

  const close = async () => {
    const closed = Promise.all([closeServer(server, 5_000), grpcIngest.close(5_000), jaegerQuery.close(5_000)]);
    await batcher.flush();
    await closed;
    await batcher.flush(); // requests that were mid-body when closing started
    await forwarding?.close(); // after the last flush: what it stored is still forwarded (within the drain time)
    await stopRetention?.();
    await aggregator.close();
    await Promise.all([pool.end(), db.$disconnect()]);
  };

  return { server, db, pool, aggregator, listen, grpcPort: grpcIngest.port, jaegerQueryPort: jaegerQuery.port, close };
}
