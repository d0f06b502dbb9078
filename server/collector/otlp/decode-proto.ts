/**
 * OTLP/HTTP protobuf body -> validated StoredSpans. Uses protobufjs' reflection decoder on the
 * vendored opentelemetry-proto types; ids arrive as bytes and become lower-case hex here.
 */
import { ExportTraceServiceRequest } from "./proto.ts";
import { CollectorError } from "./errors.ts";
import { makeResourceStorable } from "./storable.ts";
import { acceptSpan, emptyResult, spanScope, type DecodeResult, type RawSpan } from "./span-builder.ts";
import type { AttrValue, Attributes } from "../../store/types.ts";

/** protobufjs represents 64-bit integers as Long (the `long` package is installed) or number. */
type Int64 = number | { low: number; high: number; unsigned: boolean };
type PbAnyValue = {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values: PbAnyValue[] };
  kvlistValue?: { values: PbKeyValue[] };
  bytesValue?: Uint8Array;
};
type PbKeyValue = { key: string; value?: PbAnyValue | null };
type PbSpan = {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: Int64;
  endTimeUnixNano: Int64;
  attributes: PbKeyValue[];
  events: { timeUnixNano: Int64; name: string; attributes: PbKeyValue[] }[];
  links: { traceId: Uint8Array; spanId: Uint8Array; attributes: PbKeyValue[] }[];
  status?: { code: number; message: string } | null;
};
type PbRequest = {
  resourceSpans: {
    resource?: { attributes: PbKeyValue[] } | null;
    scopeSpans: { scope?: { name: string } | null; spans: PbSpan[] }[];
  }[];
};

function toHex(bytes: Uint8Array | undefined): string {
  // Unset bytes fields decode to protobufjs' shared empty default (a plain array).
  if (bytes === undefined || bytes.length === 0) return "";
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Unsigned 64-bit value (fixed64 timestamps). */
function toUnsigned(v: Int64): bigint {
  if (typeof v === "number") return BigInt(v);
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

/** Signed int64 attribute: a number when exactly representable, else a decimal string. */
function int64Value(v: Int64): number | string {
  if (typeof v === "number") return v;
  if (v.high === 0 && v.low >= 0) return v.low; // common small positive case, no BigInt
  const big = BigInt.asIntN(64, toUnsigned(v));
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
}

function flattenValue(v: PbAnyValue | null | undefined): AttrValue {
  switch (v?.value) {
    case "stringValue": return v.stringValue ?? "";
    case "boolValue": return v.boolValue ?? false;
    case "intValue": return int64Value(v.intValue ?? 0);
    // JSON (and JSONB) has no NaN/Infinity: keep them readable as strings.
    case "doubleValue": return Number.isFinite(v.doubleValue) ? (v.doubleValue ?? 0) : String(v.doubleValue);
    case "arrayValue": return (v.arrayValue?.values ?? []).map(flattenValue);
    case "kvlistValue": return flattenAttributes(v.kvlistValue?.values ?? []);
    case "bytesValue": return Buffer.from(v.bytesValue ?? []).toString("base64");
    default: return null;
  }
}

function flattenAttributes(kvs: PbKeyValue[]): Attributes {
  const out: Attributes = {};
  for (const kv of kvs) out[kv.key] = flattenValue(kv.value);
  return out;
}

function toRawSpan(s: PbSpan): RawSpan {
  return {
    traceId: toHex(s.traceId),
    spanId: toHex(s.spanId),
    parentSpanId: toHex(s.parentSpanId),
    name: s.name,
    kind: s.kind,
    startNs: toUnsigned(s.startTimeUnixNano),
    endNs: toUnsigned(s.endTimeUnixNano),
    attributes: flattenAttributes(s.attributes),
    events: s.events.map((e) => ({
      name: e.name,
      timeUnixNano: toUnsigned(e.timeUnixNano).toString(),
      attributes: flattenAttributes(e.attributes),
    })),
    links: s.links.map((l) => ({ traceId: toHex(l.traceId), spanId: toHex(l.spanId), attributes: flattenAttributes(l.attributes) })),
    statusCode: s.status?.code ?? 0,
    statusMessage: s.status?.message ?? "",
  };
}

function parseRequest(body: Uint8Array): PbRequest {
  try {
    return ExportTraceServiceRequest.decode(body) as unknown as PbRequest;
  } catch (err) {
    throw new CollectorError("BAD_REQUEST", `undecodable protobuf ExportTraceServiceRequest: ${(err as Error).message}`, { cause: err });
  }
}


/**
 * Decodes a protobuf ExportTraceServiceRequest. Throws CollectorError BAD_REQUEST when the bytes
 * are not a valid message; individual invalid spans are counted in `rejected` instead.
 */
export function decodeProtobufRequest(body: Uint8Array, nowNs: bigint): DecodeResult {
  const request = parseRequest(body);
  const out = emptyResult();
  for (const rs of request.resourceSpans) {
    const resource = makeResourceStorable(flattenAttributes(rs.resource?.attributes ?? []));
    for (const ss of rs.scopeSpans) {
      const scope = spanScope(resource, ss.scope?.name);
      for (const span of ss.spans) acceptSpan(toRawSpan(span), scope, nowNs, out);
    }
  }
  return out;
}
