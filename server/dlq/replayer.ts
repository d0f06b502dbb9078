/**
 * The dashboard server's replayer: one per process (kept on globalThis so `next dev` reloads do
 * not leak Redis connections). The dashboard does not run the OpenTelemetry SDK (it is not a
 * traced service), but a replay starts a new trace: so the replayer gets its own small tracer
 * provider (service.name `dashboard`) exporting straight to the collector.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Attr } from "../../services/contracts/index.ts";
import { createReplayer, type Replayer } from "./replay.ts";
import { getEnv } from "../env.ts";

/** `service.name` of the spans the dashboard writes (replays). */
export const DASHBOARD_SERVICE_NAME = "dashboard";

const holder = globalThis as typeof globalThis & { switchyardReplayer?: Replayer };

/** The process-wide replayer, created on first use from the dashboard env. */
export function getReplayer(): Replayer {
  if (!holder.switchyardReplayer) {
    const env = getEnv();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [Attr.SERVICE_NAME]: DASHBOARD_SERVICE_NAME }),
      spanProcessors: [
        new BatchSpanProcessor(new OTLPTraceExporter({ url: `${env.COLLECTOR_URL}/v1/traces` }), { scheduledDelayMillis: 200 }),
      ],
    });
    holder.switchyardReplayer = createReplayer({
      connection: { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX },
      tracer: provider.getTracer("switchyard-dashboard"),
    });
  }
  return holder.switchyardReplayer;
}
