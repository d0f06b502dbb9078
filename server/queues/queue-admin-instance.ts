/**
 * The dashboard server's queue admin: one per process (kept on globalThis so `next dev` reloads do
 * not leak Redis connections), with its own small tracer provider exporting the action spans
 * (`retry <queue>`, `clean <queue>`, `discard dead-letters`, ...) to the collector as `dashboard`,
 * like the dead-letter replayer (server/dlq/replayer.ts).
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Attr } from "../../services/contracts/index.ts";
import { DASHBOARD_SERVICE_NAME } from "../dlq/replayer.ts";
import { getEnv } from "../env.ts";
import { createQueueAdmin, type QueueAdmin } from "./queue-admin.ts";

const holder = globalThis as typeof globalThis & { switchyardQueueAdmin?: QueueAdmin };

/** The process-wide queue admin, created on first use from the dashboard env. */
export function getQueueAdmin(): QueueAdmin {
  if (!holder.switchyardQueueAdmin) {
    const env = getEnv();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [Attr.SERVICE_NAME]: DASHBOARD_SERVICE_NAME }),
      spanProcessors: [
        new BatchSpanProcessor(new OTLPTraceExporter({ url: `${env.COLLECTOR_URL}/v1/traces` }), { scheduledDelayMillis: 200 }),
      ],
    });
    holder.switchyardQueueAdmin = createQueueAdmin(
      { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX },
      provider.getTracer("switchyard-dashboard"),
    );
  }
  return holder.switchyardQueueAdmin;
}
