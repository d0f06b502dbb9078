/**
 * OTLP/HTTP JSON body -> validated StoredSpans. Follows the OTLP JSON mapping: ids are hex
 * strings, enums integers (names tolerated), int64 strings or numbers, keys lowerCamelCase
 * (snake_case tolerated: every object key in OTLP JSON is a field name, so renaming is safe).
 */
import { z } from "zod";
import { CollectorError } from "./errors.ts";
import { makeResourceStorable } from "./storable.ts";
import { acceptSpan, emptyResult, rejectSpan, spanScope, type DecodeResult, type SpanScope } from "./span-builder.ts";
import { type AttrValue, type Attributes } from "../../store/types.ts";

// Numbers beyond 2^53 are allowed (already rounded by JSON.parse); strings keep exact values.
const int64 = z.union([z.string().regex(/^-?\d{1,20}$/), z.number().refine(Number.isInteger, "expected an integer")]);
type JsonAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
};
type JsonKeyValue = { key: string; value?: JsonAnyValue | null };

const AnyValueSchema: z.ZodType<JsonAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]).optional(),
    arrayValue: z.object({ values: z.array(AnyValueSchema).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(KeyValueSchema).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const KeyValueSchema: z.ZodType<JsonKeyValue> = z.lazy(() =>
  z.object({ key: z.string(), value: AnyValueSchema.nullish() }),
);
const attrs = z.array(KeyValueSchema).default([]);
const id = z.string().default("").transform((s) => s.toLowerCase());
const enumValue = (names: readonly string[]) =>
  z.union([z.number().int(), z.string()]).default(0).transform((v) => (typeof v === "number" ? v : names.indexOf(v)));

const SpanSchema = z.object({
  traceId: id,
  spanId: id,
  parentSpanId: id,
  name: z.string().default(""),
  kind: enumValue(["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"]),
  startTimeUnixNano: int64.default(0),
  endTimeUnixNano: int64.default(0),
  attributes: attrs,
  events: z.array(z.object({ timeUnixNano: int64.default(0), name: z.string().default(""), attributes: attrs })).default([]),
  links: z.array(z.object({ traceId: id, spanId: id, attributes: attrs })).default([]),
  status: z
    .object({ code: enumValue(["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]), message: z.string().default("") })
    .nullish(),
});

/** Structure down to the span list; spans are checked one by one so one bad span is a partial reject. */
const RequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: attrs }).nullish(),
        scopeSpans: z.array(z.object({ scope: z.object({ name: z.string().default("") }).nullish(), spans: z.array(z.unknown()).default([]) })).default([]),
      }),
    )
    .default([]),
});

function camelize(key: string): string {
  return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** JSON.parse reviver renaming snake_case keys; attribute keys are values (`"key": ...`), not keys. */
function camelizeKeys(this: Record<string, unknown>, key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const k of Object.keys(value)) {
      if (k.includes("_")) {
        const obj = value as Record<string, unknown>;
        obj[camelize(k)] = obj[k];
        delete obj[k];
      }
    }
  }
  return value;
}

function flattenValue(v: JsonAnyValue | null | undefined): AttrValue {
  if (v == null) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return jsonInt64(v.intValue);
  if (v.doubleValue !== undefined) return typeof v.doubleValue === "number" ? v.doubleValue : v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(flattenValue);
  if (v.kvlistValue !== undefined) return flattenAttributes(v.kvlistValue.values ?? []);
  if (v.bytesValue !== undefined) return v.bytesValue; // already base64 in OTLP JSON
  return null;
}

function jsonInt64(v: string | number): number | string {
  if (typeof v === "number") return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function flattenAttributes(kvs: JsonKeyValue[]): Attributes {
  const out: Attributes = {};
  for (const kv of kvs) out[kv.key] = flattenValue(kv.value);
  return out;
}

function parseJson(body: Buffer): z.infer<typeof RequestSchema> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"), camelizeKeys);
  } catch (err) {
    throw new CollectorError("BAD_REQUEST", `body is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = RequestSchema.safeParse(json);
  if (!parsed.success) {
    throw new CollectorError("BAD_REQUEST", `not an OTLP ExportTraceServiceRequest: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

function acceptJsonSpan(input: unknown, scope: SpanScope, nowNs: bigint, out: DecodeResult): void {
  const parsed = SpanSchema.safeParse(input);
  if (!parsed.success) {
    rejectSpan(out, `malformed span: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    return;
  }
  const s = parsed.data;
  const raw = {
    ...s,
    startNs: BigInt(s.startTimeUnixNano),
    endNs: BigInt(s.endTimeUnixNano),
    attributes: flattenAttributes(s.attributes),
    events: s.events.map((e) => ({ name: e.name, timeUnixNano: BigInt(e.timeUnixNano).toString(), attributes: flattenAttributes(e.attributes) })),
    links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: flattenAttributes(l.attributes) })),
    statusCode: s.status?.code ?? 0,
    statusMessage: s.status?.message ?? "",
  };
  acceptSpan(raw, scope, nowNs, out);
}

/**
 * Decodes an OTLP JSON ExportTraceServiceRequest. Throws CollectorError BAD_REQUEST when the
 * body is not JSON or not shaped like a request; invalid spans are counted in `rejected`.
 */
export function decodeJsonRequest(body: Buffer, nowNs: bigint): DecodeResult {
  const request = parseJson(body);
  const out = emptyResult();
  for (const rs of request.resourceSpans) {
    const resource = makeResourceStorable(flattenAttributes(rs.resource?.attributes ?? []));
    for (const ss of rs.scopeSpans) {
      const scope = spanScope(resource, ss.scope?.name);
      for (const span of ss.spans) acceptJsonSpan(span, scope, nowNs, out);
    }
  }
  return out;
}
