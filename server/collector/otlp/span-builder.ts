/**
 * Shared last step of both OTLP decoders: validate one decoded span and map it to `StoredSpan`.
 * A span that fails validation is counted as rejected (OTLP partial success), never stored.
 */
import {
  SPAN_KINDS,
  STATUS_CODES,
  isUnixNanos,
  isValidSpanId,
  isValidTraceId,
  SERVICE_NAME_KEY,
  UNKNOWN_SERVICE,
  type Attributes,
  type StoredSpan,
} from "../../store/types.ts";
import { makeSpanStorable, storableText } from "./storable.ts";

/** A span as both decoders produce it: ids lower-case hex ("" when absent), times as bigint. */
export type RawSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Attributes;
  events: StoredSpan["events"];
  links: StoredSpan["links"];
  statusCode: number;
  statusMessage: string;
};

/** What a span inherits from its ResourceSpans / ScopeSpans. */
export type SpanScope = { resource: Attributes; serviceName: string; scopeName: string | null };

/** Outcome of decoding one export request. `errors` holds at most a few examples. */
export type DecodeResult = { spans: StoredSpan[]; rejected: number; errors: string[] };

const MAX_ERROR_EXAMPLES = 5;
/** 2000-01-01T00:00:00Z: anything earlier is a clock or encoding bug, not a real span. */
const MIN_START_NS = 946_684_800_000_000_000n;
/** Spans may come from hosts whose clock runs ahead; a day of skew is generous. */
const MAX_FUTURE_NS = 86_400_000_000_000n;
/** Longer than 30 days is not a span a dashboard can show (and usually an unset start). */
const MAX_DURATION_NS = 30n * MAX_FUTURE_NS;

/** Service name from resource attributes, as OTel defines it. */
export function serviceNameOf(resource: Attributes): string {
  const name = resource[SERVICE_NAME_KEY];
  return typeof name === "string" && name !== "" ? name : UNKNOWN_SERVICE;
}

/**
 * What the spans of one ScopeSpans inherit: the resource (already made storable by the decoder,
 * once per ResourceSpans, with `makeResourceStorable`), its service name and the scope name.
 * Both decoders build scopes only through this.
 */
export function spanScope(resource: Attributes, scopeName: string | null | undefined): SpanScope {
  return { resource, serviceName: serviceNameOf(resource), scopeName: scopeName ? storableText(scopeName) : null };
}

/** Creates an empty result to accumulate into. */
export function emptyResult(): DecodeResult {
  return { spans: [], rejected: 0, errors: [] };
}

/** Records one rejected span with its reason. */
export function rejectSpan(out: DecodeResult, reason: string): void {
  out.rejected++;
  if (out.errors.length < MAX_ERROR_EXAMPLES) out.errors.push(reason);
}

function findProblem(raw: RawSpan, nowNs: bigint): string | null {
  if (!isValidTraceId(raw.traceId)) return "invalid traceId";
  if (!isValidSpanId(raw.spanId)) return "invalid spanId";
  if (raw.parentSpanId !== "" && !isValidSpanId(raw.parentSpanId)) return "invalid parentSpanId";
  if (raw.name === "") return "missing name";
  if (raw.startNs < MIN_START_NS || raw.startNs > nowNs + MAX_FUTURE_NS) return "startTimeUnixNano out of range";
  if (raw.endNs < raw.startNs) return "endTimeUnixNano before startTimeUnixNano";
  if (raw.endNs - raw.startNs > MAX_DURATION_NS) return "span longer than 30 days";
  // The read side serves event times as Unix ns (server/store/types.ts): one check for both.
  for (const event of raw.events) if (!isUnixNanos(event.timeUnixNano)) return "event time out of range";
  for (const link of raw.links) {
    if (!isValidTraceId(link.traceId) || !isValidSpanId(link.spanId)) return "invalid link id";
  }
  return null;
}

/** Validates `raw`; appends it to `out.spans` as a StoredSpan or counts it as rejected. */
export function acceptSpan(raw: RawSpan, scope: SpanScope, nowNs: bigint, out: DecodeResult): void {
  const problem = findProblem(raw, nowNs);
  if (problem !== null) {
    rejectSpan(out, `span ${raw.spanId || "?"} of trace ${raw.traceId || "?"}: ${problem}`);
    return;
  }
  makeSpanStorable(raw);
  out.spans.push({
    traceId: raw.traceId,
    spanId: raw.spanId,
    parentSpanId: raw.parentSpanId === "" ? null : raw.parentSpanId,
    name: raw.name,
    // Unknown enum numbers (newer senders) degrade to the "unknown" value instead of losing the span.
    kind: SPAN_KINDS[raw.kind] ?? "UNSPECIFIED",
    serviceName: scope.serviceName,
    startTimeUnixNano: raw.startNs.toString(),
    endTimeUnixNano: raw.endNs.toString(),
    durationNs: (raw.endNs - raw.startNs).toString(),
    status: { code: STATUS_CODES[raw.statusCode] ?? "UNSET", message: raw.statusMessage || null },
    attributes: raw.attributes,
    events: raw.events,
    links: raw.links,
    resource: scope.resource,
    scopeName: scope.scopeName || null,
  });
}

/** Human-readable summary for `partial_success.error_message` ("" when nothing was rejected). */
export function describeRejections(result: DecodeResult): string {
  if (result.rejected === 0) return "";
  const more = result.rejected > result.errors.length ? "; ..." : "";
  return `${result.rejected} span(s) rejected: ${result.errors.join("; ")}${more}`;
}
