import { traceDownloadResponse } from "../../../../../server/trace/download.ts";
import { toJaegerJson } from "../../../../../server/trace/jaeger-json.ts";

/** Every request reads live data. */
export const dynamic = "force-dynamic";

/**
 * GET /api/traces/<traceId>/jaeger: the stored trace in Jaeger's JSON model, shaped as Jaeger's
 * query API answers `GET /api/traces/{id}` (`{ data: [trace] }`), which Jaeger UI opens as a file.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ traceId: string }> }): Promise<Response> {
  return traceDownloadResponse((await params).traceId, { suffix: "jaeger.json", encode: toJaegerJson });
}
