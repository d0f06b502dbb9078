/**
 * Reads a remote's 200 answer to an export: OTLP allows a partial success naming how many spans
 * it refused. An answer that cannot be read counts as full success (some backends send nothing).
 */
import { ExportTraceServiceResponse } from "../otlp/proto.ts";

type PartialSuccess = { partialSuccess?: { rejectedSpans?: number | string | { toNumber(): number } } };

function count(value: number | string | { toNumber(): number } | undefined): number {
  if (value === undefined) return 0;
  const n = typeof value === "object" ? value.toNumber() : Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Spans the remote says it rejected (0 when none or unreadable). */
export function parseRemoteAnswer(body: Uint8Array, contentType: string | null): number {
  if (body.byteLength === 0) return 0;
  try {
    if ((contentType ?? "").includes("json")) {
      return count((JSON.parse(Buffer.from(body).toString("utf8")) as PartialSuccess).partialSuccess?.rejectedSpans);
    }
    return count((ExportTraceServiceResponse.decode(body) as unknown as PartialSuccess).partialSuccess?.rejectedSpans);
  } catch {
    return 0; // not an OTLP answer (a proxy's page, say): the 200 is what we know
  }
}
