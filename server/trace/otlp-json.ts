/**
 * Stored spans -> an OTLP/JSON ExportTraceServiceRequest (the file "download as OTLP JSON" gives,
 * which any OTLP/HTTP JSON receiver, this collector included, takes back). Follows the OTLP JSON
 * mapping: ids as lower-case hex, int64 as decimal strings, enums as integers; spans grouped by
 * resource and instrumentation scope as an SDK exports them.
 */
import type { AttrValue, Attributes, StoredSpan } from "../store/types.ts";

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } };
type KeyValue = { key: string; value?: AnyValue };

const KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"] as const;
const STATUS_CODES = ["UNSET", "OK", "ERROR"] as const;

function anyValue(value: AttrValue): AnyValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => anyValue(v) ?? { stringValue: "" }) } };
  return { kvlistValue: { values: keyValues(value) } };
}

function keyValues(attributes: Attributes): KeyValue[] {
  return Object.entries(attributes).map(([key, value]) => {
    const converted = anyValue(value);
    return converted ? { key, value: converted } : { key };
  });
}

function otlpSpan(span: StoredSpan) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: Math.max(0, KINDS.indexOf(span.kind)),
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: keyValues(span.attributes),
    events: span.events.map((e) => ({ timeUnixNano: e.timeUnixNano, name: e.name, attributes: keyValues(e.attributes) })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: keyValues(l.attributes) })),
    status: { code: Math.max(0, STATUS_CODES.indexOf(span.status.code)), ...(span.status.message ? { message: span.status.message } : {}) },
  };
}

/** The spans as one OTLP JSON request: one resourceSpans per distinct resource, one scopeSpans per scope. */
export function toOtlpJson(spans: readonly StoredSpan[]) {
  const resources = new Map<string, { resource: Attributes; scopes: Map<string, StoredSpan[]> }>();
  for (const span of spans) {
    const resourceKey = JSON.stringify(span.resource);
    const entry = resources.get(resourceKey) ?? { resource: span.resource, scopes: new Map<string, StoredSpan[]>() };
    const scope = span.scopeName ?? "";
    entry.scopes.set(scope, [...(entry.scopes.get(scope) ?? []), span]);
    resources.set(resourceKey, entry);
  }
  return {
    resourceSpans: [...resources.values()].map(({ resource, scopes }) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: [...scopes.entries()].map(([name, scoped]) => ({ scope: { name }, spans: scoped.map(otlpSpan) })),
    })),
  };
}
