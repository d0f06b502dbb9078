import { getDashboardContext } from "../../../../../server/routers/context.ts";
import { countTraceSpans, getTrace } from "../../../../../server/store/read.ts";
import { toOtlpJson } from "../../../../../server/trace/otlp-json.ts";

/** Every request reads live data. */
export const dynamic = "force-dynamic";

const TRACE_ID = /^[0-9a-f]{32}$/;
/** A download is built in memory: past this, read the trace page by page (the collector's API). */
const MAX_DOWNLOAD_SPANS = 100_000;

/**
 * GET /api/traces/<traceId>/otlp: the stored trace as an OTLP/JSON ExportTraceServiceRequest file,
 * which any OTLP/HTTP JSON receiver (this collector's /v1/traces included) takes back as it is.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ traceId: string }> }): Promise<Response> {
  const { traceId } = await params;
  if (!TRACE_ID.test(traceId)) return Response.json({ error: "A trace id is 32 lower-case hex characters." }, { status: 400 });
  const { db } = getDashboardContext();
  const count = (await countTraceSpans(db, [traceId])).get(traceId) ?? 0;
  if (count > MAX_DOWNLOAD_SPANS) {
    return Response.json({ error: `Trace ${traceId} has ${count} spans; downloads stop at ${MAX_DOWNLOAD_SPANS}.` }, { status: 413 });
  }
  const spans = await getTrace(db, traceId);
  if (!spans || spans.length === 0) return Response.json({ error: `No spans are stored for trace ${traceId}.` }, { status: 404 });
  return new Response(JSON.stringify(toOtlpJson(spans)), {
    headers: {
      "content-type": "application/json",
      "content-disposition": `attachment; filename="trace-${traceId}.otlp.json"`,
      "cache-control": "no-store",
    },
  });
}
