/**
 * The one mapping from `telemetry.spans` rows to {@link StoredSpan}, shared by every reader of the
 * span store (trace API and trace pages, sagas, dead letters, breakers): the row shapes, the
 * column lists that select them, and the decoding of JSONB columns and OTLP enum numbers.
 */
import { Prisma } from "../../prisma/generated/telemetry/client.ts";
import { SPAN_KINDS, STATUS_CODES, type Attributes, type StoredSpan } from "./types.ts";

/** A span row without events, resource and scope: views rebuilt from many spans need none of them. */
export type SpanRow = {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: number;
  service_name: string;
  start_time_unix_nano: bigint;
  end_time_unix_nano: bigint;
  status_code: number;
  status_message: string | null;
  attributes: unknown;
  links: unknown;
};

/** {@link SpanRow} plus events, the joined resource and the scope: all a trace view shows. */
export type SpanDetailRow = SpanRow & { events: unknown; resource: unknown; scope_name: string | null };

/** Select list of {@link SpanRow}: `SELECT ${SPAN_COLUMNS} FROM telemetry.spans WHERE ...`. */
export const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, name, kind, service_name, start_time_unix_nano,
  end_time_unix_nano, status_code, status_message, attributes, links`;

/**
 * `SELECT ... FROM` of {@link SpanDetailRow}: spans (alias `s`) joined to their resource, stored
 * once in telemetry.resources; a missing one (never expected) reads as {}. Add `WHERE s.…`.
 */
export const SELECT_SPAN_DETAILS = Prisma.sql`
  SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.service_name,
    s.start_time_unix_nano, s.end_time_unix_nano, s.status_code, s.status_message, s.attributes,
    s.events, s.links, COALESCE(r.attributes, '{}'::jsonb) AS resource, s.scope_name
  FROM telemetry.spans s LEFT JOIN telemetry.resources r ON r.id = s.resource_id`;

/** JSONB may come back parsed or as text depending on the driver path; accept both. */
function json<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** A row as a StoredSpan; a {@link SpanRow} without details gets no events, an empty resource and no scope. */
export function toStoredSpan(r: SpanRow | SpanDetailRow): StoredSpan {
  const details = "events" in r ? r : null;
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    name: r.name,
    kind: SPAN_KINDS[r.kind] ?? "UNSPECIFIED",
    serviceName: r.service_name,
    startTimeUnixNano: r.start_time_unix_nano.toString(),
    endTimeUnixNano: r.end_time_unix_nano.toString(),
    durationNs: (BigInt(r.end_time_unix_nano) - BigInt(r.start_time_unix_nano)).toString(),
    status: { code: STATUS_CODES[r.status_code] ?? "UNSET", message: r.status_message },
    attributes: json<Attributes>(r.attributes),
    events: details ? json<StoredSpan["events"]>(details.events) : [],
    links: json<StoredSpan["links"]>(r.links),
    resource: details ? json<Attributes>(details.resource) : {},
    scopeName: details ? details.scope_name : null,
  };
}

/** The least a span reader can select: what a span is, where and when it started, and how it ended. */
export type SpanHeadRow = Pick<SpanRow, "trace_id" | "span_id" | "name" | "kind" | "service_name" | "start_time_unix_nano" | "status_code" | "attributes">;

/** Select list of {@link SpanHeadRow}. */
export const SPAN_HEAD_COLUMNS = "trace_id, span_id, name, kind, service_name, start_time_unix_nano, status_code, attributes";

/** What a {@link SpanHeadRow} holds of a StoredSpan (the status without its message). */
export type SpanHead = Pick<StoredSpan, "traceId" | "spanId" | "name" | "kind" | "serviceName" | "startTimeUnixNano" | "status" | "attributes">;

/** A head row as the matching part of a StoredSpan; the status message is null (not selected). */
export function toSpanHead(r: SpanHeadRow): SpanHead {
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    name: r.name,
    kind: SPAN_KINDS[r.kind] ?? "UNSPECIFIED",
    serviceName: r.service_name,
    startTimeUnixNano: r.start_time_unix_nano.toString(),
    status: { code: STATUS_CODES[r.status_code] ?? "UNSET", message: null },
    attributes: json<Attributes>(r.attributes),
  };
}
