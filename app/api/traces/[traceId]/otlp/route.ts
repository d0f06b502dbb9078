import { traceDownloadResponse } from "../../../../../server/trace/download.ts";
import { toOtlpJson } from "../../../../../server/trace/otlp-json.ts";

/** Every request reads live data. */
export const dynamic = "force-dynamic";

/**
 * GET /api/traces/<traceId>/otlp: the stored trace as an OTLP/JSON ExportTraceServiceRequest file,
 * which any OTLP/HTTP JSON receiver (this collector's /v1/traces included) takes back as it is.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ traceId: string }> }): Promise<Response> {
  return traceDownloadResponse((await params).traceId, { suffix: "otlp.json", encode: toOtlpJson });
}
