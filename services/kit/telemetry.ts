import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { PrismaInstrumentation } from "@prisma/instrumentation";
import { Attr } from "../contracts/index.ts";
import { createServiceSampler } from "./sampler.ts";
import { DropRepeatingSpans } from "./span-filter.ts";
import { isTrpcRequestUrl, TRPC_BASE_PATH } from "../shared/trpc-paths.ts";
import { truncateText } from "../contracts/text.ts";

/** What a process needs to start tracing. */
export type TelemetryOptions = {
  /** `service.name`: the service folder name (`order`, `inventory`, ...). */
  serviceName: string;
  /** OTLP/HTTP protobuf endpoint, e.g. `http://127.0.0.1:4318/v1/traces`. */
  tracesUrl: string;
  /** `service.instance.id` (the discovery registry's id for this process); random when omitted. */
  instanceId?: string;
};

/** Printable, short arguments only: BullMQ passes msgpack blobs (NUL bytes) and whole payloads. */
const MAX_REDIS_ARGS = 4;
const MAX_REDIS_ARG_CHARS = 80;

/** `db.query.text` for a Redis command: the command and its first few printable arguments. */
export function summarizeRedisCommand(command: string, args: unknown[]): string {
  const shown = args.slice(0, MAX_REDIS_ARGS).map((arg) => {
    const text = typeof arg === "string" || typeof arg === "number" ? String(arg) : "?";
    return /[\x00-\x1f\x7f]/.test(text) ? "?" : truncateText(text, MAX_REDIS_ARG_CHARS);
  });
  const more = args.length > MAX_REDIS_ARGS ? ` ...(${args.length - MAX_REDIS_ARGS} more)` : "";
  return [command, ...shown].join(" ") + more;
}

/** Paths that are polled by the launcher and must never start a trace. */
const UNTRACED_PATHS = new Set(["/health"]);

/**
 * Starts the OpenTelemetry NodeSDK: traces only (no metric readers or log processors, so nothing
 * else is exported), a batch processor tuned so spans show within ~200 ms and bursts are not
 * dropped, and the instrumentations Switchyard relies on. Call before importing instrumented code.
 */
export function startTelemetry(options: TelemetryOptions): NodeSDK {
  const exporter = new OTLPTraceExporter({ url: options.tracesUrl });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [Attr.SERVICE_NAME]: options.serviceName,
      [Attr.SERVICE_INSTANCE_ID]: options.instanceId ?? randomUUID(),
      // The clock the spans are timed by: the dashboard corrects skew only between hosts.
      [Attr.HOST_NAME]: hostname(),
    }),
    // Host/process detectors add dozens of attributes to every resource for no benefit here.
    autoDetectResources: false,
    sampler: createServiceSampler(),
    spanProcessors: [
      new DropRepeatingSpans(
        new BatchSpanProcessor(exporter, {
          maxQueueSize: 100_000,
          scheduledDelayMillis: 200,
          maxExportBatchSize: 512,
          exportTimeoutMillis: 10_000,
        }),
      ),
    ],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // tRPC calls get their own CLIENT span from the kit's link (which also injects the W3C
      // headers); a second HTTP CLIENT span per hop would only repeat it. They go over node:http
      // (http-fetch.ts), or undici where the global fetch is used; other requests are traced.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? "").split("?")[0] ?? ""),
        ignoreOutgoingRequestHook: (req) => (req.path ?? "").startsWith(`${TRPC_BASE_PATH}/`),
      }),
      new UndiciInstrumentation({ ignoreRequestHook: (req) => isTrpcRequestUrl(req.origin + req.path) }),
      // Roots would be BullMQ's polling; only commands inside a real span are worth a span.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: summarizeRedisCommand }),
      // Keep each statement (db_query, with its SQL) and the transaction around them. Dropped:
      // `operation` (every one wraps exactly one db_query: a fifth of a hybrid order's spans,
      // measured with bench:hybrid), serialize/compile (in-process CPU steps), and BEGIN/COMMIT
      // (start/commit_transaction, with COMMIT's db_query), which only repeat the transaction
      // span's own start and end. Fewer spans per hop is most of tracing's cost.
      new PrismaInstrumentation({
        ignoreSpanTypes: [
          "prisma:client:operation",
          "prisma:client:serialize",
          "prisma:client:compile",
          "prisma:client:start_transaction",
          "prisma:client:commit_transaction",
        ],
      }),
    ],
  });
  sdk.start();
  return sdk;
}
