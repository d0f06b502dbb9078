/**
 * Jaeger's JSON trace model <-> the span store, both ways, mapped as Jaeger's own translator does
 * (jaegertracing/jaeger `internal/storage/v2/elasticsearch/tracestore/to_dbmodel.go` and
 * `from_dbmodel.go`, copied from the OTel Collector's `pkg/translator/jaeger`):
 * - span kind is the `span.kind` tag; status is `error=true` (ERROR) or `otel.status_code`
 *   (OK/ERROR), its message `otel.status_description`; the scope name is `otel.scope.name`
 *   (older `otel.library.name`); these tags become fields, not attributes;
 * - a log is an event, named by its `event` field; a process is the resource plus `service.name`;
 * - the parent is the span's `parentSpanID`, else its first CHILD_OF reference within the trace;
 *   every other reference is a link. Jaeger's reader would also take a lone FOLLOWS_FROM as the
 *   parent; here it stays a link, so what was a link in the store comes back a link.
 * Jaeger cannot say everything a stored span holds: times are whole microseconds, arrays and maps
 * become JSON strings, a link keeps only its `opentracing.ref_type` attribute, a null value
 * becomes "", and a status message without an OK/ERROR status stays an `otel.status_description`
 * attribute. Stored spans without these round-trip unchanged (jaeger-json.test.ts).
 */
import { makeResourceStorable } from "../collector/otlp/storable.ts";
import { acceptSpan, emptyResult, spanScope, type DecodeResult, type RawSpan, type SpanScope } from "../collector/otlp/span-builder.ts";
import { SERVICE_NAME_KEY, SPAN_KINDS, type AttrValue, type Attributes, type SpanKind, type StoredSpan } from "../store/types.ts";
import type { JaegerKeyValue, JaegerProcess, JaegerSpanInput, JaegerTraceInput } from "./jaeger-json-schema.ts";

/** Tags that are span fields in OTel (Jaeger's translator names). */
const SPAN_KIND_TAG = "span.kind";
const ERROR_TAG = "error";
const STATUS_CODE_TAG = "otel.status_code";
const STATUS_DESCRIPTION_TAG = "otel.status_description";
const SCOPE_NAME_TAGS = ["otel.scope.name", "otel.library.name"] as const;
/** Field of a log holding the event's name. */
const EVENT_NAME_FIELD = "event";
/** Link attribute carrying the OpenTracing reference type. */
const REF_TYPE_ATTRIBUTE = "opentracing.ref_type";
/** The service name Jaeger's translator writes for a resource without one. */
const NO_SERVICE_NAME = "OTLPResourceNoServiceName";

/** One span of Jaeger's JSON model, as this module writes it. */
export type JaegerSpan = {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: "CHILD_OF" | "FOLLOWS_FROM"; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: JaegerKeyValue[];
  logs: { timestamp: number; fields: JaegerKeyValue[] }[];
  processID: string;
  warnings: null;
};
/** One trace of Jaeger's JSON model. */
export type JaegerTrace = { traceID: string; spans: JaegerSpan[]; processes: Record<string, JaegerProcess>; warnings: null };
/** Jaeger query API's answer (`structuredResponse`): what `GET /api/traces/{id}` returns. */
export type JaegerResponse = { data: JaegerTrace[]; total: number; limit: number; offset: number; errors: null };

// ---- Jaeger -> store ------------------------------------------------------------------------

function safeInt(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** A tag's value as a stored attribute, by its declared type; values that do not parse stay as written. */
function tagValue(kv: JaegerKeyValue): AttrValue {
  const { value } = kv;
  if (value === null) return null;
  switch (kv.type) {
    case "bool":
      return typeof value === "string" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : value;
    case "int64":
      return typeof value === "string" && /^-?\d+$/.test(value) ? safeInt(value) : typeof value === "number" ? Math.trunc(value) : value;
    case "float64":
      return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
    case "string":
    case "binary": // base64 in Jaeger JSON, as OTLP JSON's bytesValue: kept as the string
      return typeof value === "string" ? value : String(value);
    default:
      return value;
  }
}

function tagsToAttributes(tags: readonly JaegerKeyValue[]): Attributes {
  const out: Attributes = {};
  for (const kv of tags) out[kv.key] = tagValue(kv);
  return out;
}

/** Removes `key` from `attributes` and returns its value. */
function take(attributes: Attributes, key: string): AttrValue | undefined {
  const value = attributes[key];
  delete attributes[key];
  return value;
}

function kindOf(tag: AttrValue | undefined): number {
  const kind = typeof tag === "string" ? (tag.toUpperCase() as SpanKind) : "UNSPECIFIED";
  return Math.max(0, SPAN_KINDS.indexOf(kind));
}

/** `error=true` wins (Jaeger: "the ultimate truth"), else `otel.status_code`; both tags are removed. */
function statusOf(attributes: Attributes): { statusCode: number; statusMessage: string } {
  const isError = attributes[ERROR_TAG] === true;
  if (isError) delete attributes[ERROR_TAG];
  const code = take(attributes, STATUS_CODE_TAG);
  const statusCode = isError ? 2 : code === "OK" ? 1 : code === "ERROR" ? 2 : 0;
  if (statusCode === 0 && code === undefined) return { statusCode, statusMessage: "" };
  const message = take(attributes, STATUS_DESCRIPTION_TAG);
  return { statusCode, statusMessage: typeof message === "string" ? message : "" };
}

function scopeNameOf(attributes: Attributes): string | null {
  for (const key of SCOPE_NAME_TAGS) {
    const name = attributes[key];
    if (typeof name === "string") {
      delete attributes[key];
      return name;
    }
  }
  return null;
}

/** The span's parent id and its links (every reference but the one that is the parent). */
function parentAndLinks(span: JaegerSpanInput): { parentSpanId: string; links: StoredSpan["links"] } {
  const parentIndex = span.parentSpanID
    ? -1
    : span.references.findIndex((r) => r.refType === "CHILD_OF" && r.traceID === span.traceID);
  const parentSpanId = span.parentSpanID ?? span.references[parentIndex]?.spanID ?? "";
  const links = span.references
    .filter((_, i) => i !== parentIndex)
    .map((r) => {
      const attributes: Attributes = r.refType === "CHILD_OF" ? { [REF_TYPE_ATTRIBUTE]: "child_of" } : {};
      return { traceId: r.traceID, spanId: r.spanID, attributes };
    });
  return { parentSpanId, links };
}

function rawSpanOf(span: JaegerSpanInput): { raw: RawSpan; scopeName: string | null } {
  const attributes = tagsToAttributes(span.tags);
  const kind = kindOf(take(attributes, SPAN_KIND_TAG));
  const scopeName = scopeNameOf(attributes);
  const startNs = BigInt(span.startTime) * 1000n;
  const events = span.logs.map((log) => {
    const fields = tagsToAttributes(log.fields);
    const name = typeof fields[EVENT_NAME_FIELD] === "string" ? (take(fields, EVENT_NAME_FIELD) as string) : "";
    return { name, timeUnixNano: (BigInt(log.timestamp) * 1000n).toString(), attributes: fields };
  });
  const raw: RawSpan = {
    traceId: span.traceID,
    spanId: span.spanID,
    ...parentAndLinks(span),
    name: span.operationName,
    kind,
    startNs,
    endNs: startNs + BigInt(span.duration) * 1000n,
    attributes,
    events,
    ...statusOf(attributes),
  };
  return { raw, scopeName };
}

function resourceOf(process: JaegerProcess): Attributes {
  const named = process.serviceName !== "" && process.serviceName !== NO_SERVICE_NAME;
  return makeResourceStorable({ ...(named ? { [SERVICE_NAME_KEY]: process.serviceName } : {}), ...tagsToAttributes(process.tags) });
}

/**
 * Jaeger JSON traces (already validated by `parseJaegerFile`) -> stored spans, through the
 * collector's own last step (`acceptSpan`: the same checks, cleaning and redaction as OTLP
 * ingest). A span naming an unknown process, or failing those checks, is counted in `rejected`.
 */
export function fromJaegerJson(traces: readonly JaegerTraceInput[], nowNs: bigint): DecodeResult {
  const out = emptyResult();
  for (const trace of traces) {
    const resources = new Map<string, Attributes>();
    const scopes = new Map<string, SpanScope>();
    for (const span of trace.spans) {
      const process = span.process ?? (span.processID !== undefined ? trace.processes[span.processID] : undefined);
      if (!process) {
        out.rejected++;
        if (out.errors.length < 5) out.errors.push(`span ${span.spanID} of trace ${span.traceID}: unknown processID "${span.processID ?? ""}"`);
        continue;
      }
      const processKey = span.process ? JSON.stringify(span.process) : `id:${span.processID}`;
      const resource = resources.get(processKey) ?? resourceOf(process);
      resources.set(processKey, resource);
      const { raw, scopeName } = rawSpanOf(span);
      const scopeKey = `${processKey}\n${scopeName ?? ""}`;
      const scope = scopes.get(scopeKey) ?? spanScope(resource, scopeName);
      scopes.set(scopeKey, scope);
      acceptSpan(raw, scope, nowNs, out);
    }
  }
  return out;
}

// ---- store -> Jaeger ------------------------------------------------------------------------

/** A stored attribute as a typed Jaeger tag (arrays and maps as JSON text, as Jaeger's translator does). */
export function toJaegerTag(key: string, value: AttrValue): JaegerKeyValue {
  if (typeof value === "string") return { key, type: "string", value };
  if (typeof value === "boolean") return { key, type: "bool", value };
  if (typeof value === "number") return { key, type: Number.isSafeInteger(value) ? "int64" : "float64", value };
  if (value === null) return { key, type: "string", value: "" };
  return { key, type: "string", value: JSON.stringify(value) };
}

function tagsOf(attributes: Attributes): JaegerKeyValue[] {
  return Object.entries(attributes).map(([key, value]) => toJaegerTag(key, value));
}

const micros = (ns: string) => Number(BigInt(ns) / 1000n);

function spanTags(span: StoredSpan): JaegerKeyValue[] {
  const tags = span.scopeName ? [toJaegerTag(SCOPE_NAME_TAGS[0], span.scopeName)] : [];
  tags.push(...tagsOf(span.attributes));
  if (span.kind !== "UNSPECIFIED") tags.push(toJaegerTag(SPAN_KIND_TAG, span.kind.toLowerCase()));
  if (span.status.code === "OK") tags.push(toJaegerTag(STATUS_CODE_TAG, "OK"));
  if (span.status.code === "ERROR") tags.push(toJaegerTag(ERROR_TAG, true));
  if (span.status.message) tags.push(toJaegerTag(STATUS_DESCRIPTION_TAG, span.status.message));
  return tags;
}

function referencesOf(span: StoredSpan): JaegerSpan["references"] {
  const refs: JaegerSpan["references"] = span.parentSpanId ? [{ refType: "CHILD_OF", traceID: span.traceId, spanID: span.parentSpanId }] : [];
  for (const link of span.links) {
    const refType = link.attributes[REF_TYPE_ATTRIBUTE] === "child_of" ? "CHILD_OF" : "FOLLOWS_FROM";
    refs.push({ refType, traceID: link.traceId, spanID: link.spanId });
  }
  return refs;
}

function logsOf(span: StoredSpan): JaegerSpan["logs"] {
  return span.events.map((event) => {
    const named = event.name !== "" && !(EVENT_NAME_FIELD in event.attributes);
    const fields = named ? [toJaegerTag(EVENT_NAME_FIELD, event.name), ...tagsOf(event.attributes)] : tagsOf(event.attributes);
    return { timestamp: micros(event.timeUnixNano), fields };
  });
}

/**
 * The stored spans of ONE trace as a Jaeger trace: microseconds, references (parent first, as
 * CHILD_OF), typed tags, logs, and processes deduplicated as Jaeger does (`p1`, `p2`, ... in
 * order of first use; one per distinct service + resource).
 */
export function toJaegerTrace(spans: readonly StoredSpan[]): JaegerTrace {
  const processIds = new Map<string, string>();
  const processes: Record<string, JaegerProcess> = {};
  const jaegerSpans = spans.map((span): JaegerSpan => {
    const { [SERVICE_NAME_KEY]: _serviceName, ...resourceTags } = span.resource;
    const key = JSON.stringify([span.serviceName, span.resource]);
    let processID = processIds.get(key);
    if (processID === undefined) {
      processID = `p${processIds.size + 1}`;
      processIds.set(key, processID);
      processes[processID] = { serviceName: span.serviceName, tags: tagsOf(resourceTags) };
    }
    const startTime = micros(span.startTimeUnixNano);
    return {
      traceID: span.traceId,
      spanID: span.spanId,
      operationName: span.name,
      references: referencesOf(span),
      startTime,
      // Jaeger's DurationAsMicroseconds: the nanosecond duration, truncated.
      duration: Number(BigInt(span.durationNs) / 1000n),
      tags: spanTags(span),
      logs: logsOf(span),
      processID,
      warnings: null,
    };
  });
  return { traceID: spans[0]?.traceId ?? "", spans: jaegerSpans, processes, warnings: null };
}

/**
 * Stored spans (of one or several traces) as the Jaeger query API answers them: one trace per
 * trace id, in order of first appearance, inside `{ data, total, limit, offset, errors }`.
 */
export function toJaegerJson(spans: readonly StoredSpan[]): JaegerResponse {
  const byTrace = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return { data: [...byTrace.values()].map(toJaegerTrace), total: 0, limit: 0, offset: 0, errors: null };
}
