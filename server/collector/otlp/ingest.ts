/**
 * One OTLP export, transport-agnostic: decode the request body, store its spans (resolves once
 * committed), and say which spans were rejected. Shared by OTLP/HTTP (http/routes.ts) and
 * OTLP/gRPC (grpc/trace-service.ts), so both accept, reject and store exactly the same spans.
 */
import { CollectorError } from "./errors.ts";
import { decodeProtobufRequest } from "./decode-proto.ts";
import { decodeJsonRequest } from "./decode-json.ts";
import { describeRejections, rejectSpan, type DecodeResult } from "./span-builder.ts";
import type { StoredSpan } from "../../store/types.ts";

/** Encoding of an ExportTraceServiceRequest body. */
export type OtlpBodyFormat = "protobuf" | "json";

/** Stores spans; resolves once committed, naming any the database refused (SpanBatcher.add). */
export type StoreSpans = (spans: readonly StoredSpan[]) => Promise<{ rejected: StoredSpan[] }>;

/** One export as stored: its decoded body and the spans of it the store kept (forwarding reads it). */
export type StoredExport = { format: OtlpBodyFormat; body: Buffer; stored: readonly StoredSpan[]; isComplete: boolean };

/** What the exporter is told on success: OTLP partial_success when `rejected > 0` or a message. */
export type ExportOutcome = { rejected: number; errorMessage: string };

function decode(format: OtlpBodyFormat, body: Buffer): DecodeResult {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  try {
    return format === "protobuf" ? decodeProtobufRequest(body, nowNs) : decodeJsonRequest(body, nowNs);
  } catch (err) {
    if (err instanceof CollectorError) throw err;
    // Anything else a decoder throws (a RangeError from absurd nesting, say) is still the body's fault.
    throw new CollectorError("BAD_REQUEST", "undecodable ExportTraceServiceRequest (nested too deep or malformed)", { cause: err });
  }
}

/**
 * Decodes and stores one export. Throws CollectorError BAD_REQUEST for an undecodable body
 * (nothing stored); the store's errors (BatcherFullError, database trouble) pass through.
 */
export async function ingestExport(
  format: OtlpBodyFormat,
  body: Buffer,
  storeSpans: StoreSpans,
  onStored?: (stored: StoredExport) => void,
): Promise<ExportOutcome> {
  const result = decode(format, body);
  const { rejected } = await storeSpans(result.spans);
  for (const span of rejected) rejectSpan(result, `span ${span.spanId} of trace ${span.traceId}: refused by the database`);
  const refused = new Set(rejected);
  onStored?.({ format, body, stored: refused.size === 0 ? result.spans : result.spans.filter((s) => !refused.has(s)), isComplete: result.rejected === 0 });
  return { rejected: result.rejected, errorMessage: describeRejections(result) };
}
