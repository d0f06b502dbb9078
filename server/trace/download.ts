import { getDashboardContext } from "../routers/context.ts";
import { countTraceSpans, getTrace } from "../store/read.ts";
import type { StoredSpan } from "../store/types.ts";

const TRACE_ID = /^[0-9a-f]{32}$/;
/** A download is built in memory: past this, read the trace page by page (the collector's API). */
export const MAX_DOWNLOAD_SPANS = 100_000;

/** A file format a stored trace can be downloaded in. */
export type TraceFileFormat = {
  /** The file name's last part: `trace-<id>.<suffix>`. */
  suffix: string;
  encode: (spans: StoredSpan[]) => unknown;
};

/**
 * The answer of a trace download route (app/api/traces/<id>/{otlp,jaeger}): 400 for a malformed
 * id, 404 when nothing is stored, 413 past {@link MAX_DOWNLOAD_SPANS}, else the file as an attachment.
 */
export async function traceDownloadResponse(traceId: string, format: TraceFileFormat): Promise<Response> {
  if (!TRACE_ID.test(traceId)) return Response.json({ error: "A trace id is 32 lower-case hex characters." }, { status: 400 });
  const { db } = getDashboardContext();
  const count = (await countTraceSpans(db, [traceId])).get(traceId) ?? 0;
  if (count > MAX_DOWNLOAD_SPANS) {
    return Response.json({ error: `Trace ${traceId} has ${count} spans; downloads stop at ${MAX_DOWNLOAD_SPANS}.` }, { status: 413 });
  }
  const spans = await getTrace(db, traceId);
  if (!spans || spans.length === 0) return Response.json({ error: `No spans are stored for trace ${traceId}.` }, { status: 404 });
  return new Response(JSON.stringify(format.encode(spans)), {
    headers: {
      "content-type": "application/json",
      "content-disposition": `attachment; filename="trace-${traceId}.${format.suffix}"`,
      "cache-control": "no-store",
    },
  });
}
