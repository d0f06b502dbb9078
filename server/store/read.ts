/**
 * Read side of the span store, shared by the collector's trace API and the dashboard routers.
 * Signatures are stable: other modules depend on them. All queries are tagged templates with
 * bound parameters.
 */
import { Prisma } from "../../prisma/generated/telemetry/client.ts";
import type { Db } from "../db.ts";
import type { SearchQuery } from "../trace/search-query.ts";
import { searchConditions } from "./search.ts";
import { SELECT_SPAN_DETAILS, toStoredSpan, type SpanDetailRow } from "./span-rows.ts";
import type { StoredSpan, TraceSummary } from "./types.ts";

/** Filters of {@link listTraces}; newest traces first. */
export type ListTracesOptions = {
  /** Max rows, clamped to 1..500. */
  limit: number;
  /** Cursor: only traces starting strictly before this Unix-ns time (decimal string). */
  beforeStartNs?: string;
  /** Only traces that include a span of this service. */
  service?: string;
  /** true: only traces with an error span; false: only traces without. */
  hasError?: boolean;
  /** Case-insensitive substring of the root span name, or a trace id prefix. */
  search?: string;
  /** Only traces with a span a chaos experiment affected (`app.chaos.experiment_id`). */
  experimentId?: string;
  /** Only traces starting at or after this Unix-ns time (decimal string), e.g. an experiment's start. */
  afterStartNs?: string;
  /** Only traces starting at or before this Unix-ns time (decimal string): the end of a time range. */
  startToNs?: string;
  /** A parsed search (server/trace/search-query.ts): attribute conditions, operation, durations, text. */
  query?: SearchQuery;
};

/**
 * All spans of one trace, ordered by start time.
 * @param traceId 32 lower-case hex characters (other input simply finds nothing).
 * @returns the spans, or `null` when no span of that trace is stored.
 */
export async function getTrace(db: Db, traceId: string): Promise<StoredSpan[] | null> {
  const rows = await db.$queryRaw<SpanDetailRow[]>`
    ${SELECT_SPAN_DETAILS}
    WHERE s.trace_id = ${traceId}
    ORDER BY s.start_time_unix_nano, s.span_id`;
  return rows.length === 0 ? null : rows.map(toStoredSpan);
}

/** Position after the last span of a page: spans are ordered by start time, then span id. */
export type TraceCursor = { startNs: string; spanId: string };

/** One page of a trace's spans (see {@link getTracePage}). */
export type TracePage = {
  spans: StoredSpan[];
  /** Spans stored for the whole trace (from telemetry.traces), at least those of this page. */
  totalSpans: number;
  /** Where the next page starts, or null when this page holds the trace's last span. */
  nextCursor: TraceCursor | null;
};

/**
 * At most `limit` spans of one trace, ordered by start time then span id, starting after
 * `after` (keyset paging: a page never repeats or skips a span, even while spans arrive). For big
 * traces; {@link getTrace} still answers the whole trace for the collector's trace API.
 * @returns the page, or `null` when no span of that trace is stored.
 */
export async function getTracePage(
  db: Db,
  traceId: string,
  options: { limit: number; after?: TraceCursor | null },
): Promise<TracePage | null> {
  const limit = Math.max(1, Math.floor(options.limit));
  const after = options.after
    ? Prisma.sql`AND (s.start_time_unix_nano, s.span_id) > (${BigInt(options.after.startNs)}::int8, ${options.after.spanId}::bpchar)`
    : Prisma.empty;
  // One row more than asked tells whether another page follows, without counting.
  const [rows, counts] = await Promise.all([
    db.$queryRaw<SpanDetailRow[]>`
      ${SELECT_SPAN_DETAILS}
      WHERE s.trace_id = ${traceId} ${after}
      ORDER BY s.start_time_unix_nano, s.span_id LIMIT ${limit + 1}`,
    countTraceSpans(db, [traceId]),
  ]);
  const total = counts.get(traceId);
  if (rows.length === 0 && total === undefined) return null;
  const spans = rows.slice(0, limit).map(toStoredSpan);
  const last = spans[spans.length - 1];
  const nextCursor = rows.length > limit && last ? { startNs: last.startTimeUnixNano, spanId: last.spanId } : null;
  return { spans, totalSpans: Math.max(total ?? 0, spans.length), nextCursor };
}

/**
 * Stored span count of each of `traceIds` that has any, from telemetry.traces (no span scan), so
 * a caller can refuse a trace too big to load before loading it.
 */
export async function countTraceSpans(db: Db, traceIds: readonly string[]): Promise<Map<string, number>> {
  if (traceIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ trace_id: string; span_count: number }[]>`
    SELECT trace_id, span_count FROM telemetry.traces WHERE trace_id = ANY(${[...traceIds]}::bpchar[])`;
  return new Map(rows.map((r) => [r.trace_id, r.span_count]));
}

type TraceRow = {
  trace_id: string;
  root_name: string;
  root_service: string;
  services: string[];
  span_count: number;
  error_count: number;
  start_time_unix_nano: bigint;
  end_time_unix_nano: bigint;
  updated_at: Date;
};

function toSummary(r: TraceRow): TraceSummary {
  return {
    traceId: r.trace_id,
    rootName: r.root_name,
    rootService: r.root_service,
    services: r.services,
    spanCount: r.span_count,
    errorCount: r.error_count,
    startTimeUnixNano: r.start_time_unix_nano.toString(),
    durationNs: (BigInt(r.end_time_unix_nano) - BigInt(r.start_time_unix_nano)).toString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** WHERE conditions on `telemetry.traces t`. */
async function traceFilters(db: Db, o: ListTracesOptions): Promise<Prisma.Sql> {
  const conds: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (o.beforeStartNs !== undefined) conds.push(Prisma.sql`t.start_time_unix_nano < ${BigInt(o.beforeStartNs)}`);
  if (o.service !== undefined) conds.push(Prisma.sql`${o.service} = ANY(t.services)`);
  if (o.hasError === true) conds.push(Prisma.sql`t.error_count > 0`);
  if (o.hasError === false) conds.push(Prisma.sql`t.error_count = 0`);
  if (o.search !== undefined && o.search !== "") {
    const escaped = o.search.replace(/[\\%_]/g, (c) => `\\${c}`);
    conds.push(Prisma.sql`(t.root_name ILIKE ${`%${escaped}%`} OR t.trace_id LIKE ${`${escaped.toLowerCase()}%`})`);
  }
  if (o.afterStartNs !== undefined) conds.push(Prisma.sql`t.start_time_unix_nano >= ${BigInt(o.afterStartNs)}`);
  if (o.startToNs !== undefined) conds.push(Prisma.sql`t.start_time_unix_nano <= ${BigInt(o.startToNs)}`);
  if (o.experimentId !== undefined) {
    // `?` matches the id as a JSON string or as an element of an array of ids (several faults).
    conds.push(Prisma.sql`EXISTS (SELECT 1 FROM telemetry.spans s WHERE s.trace_id = t.trace_id
      AND s.attributes -> 'app.chaos.experiment_id' ? ${o.experimentId})`);
  }
  if (o.query) conds.push(...(await searchConditions(db, o.query)));
  return Prisma.join(conds, " AND ");
}

/**
 * Trace summaries, newest first (by trace start). Page with `beforeStartNs` = the last row's
 * `startTimeUnixNano`. Served from telemetry.traces; only span-level filters (experiment,
 * operation, attribute conditions, an id) look into spans, by trace id (see ./search.ts).
 */
export async function listTraces(db: Db, options: ListTracesOptions): Promise<TraceSummary[]> {
  const limit = Math.min(500, Math.max(1, Math.floor(options.limit)));
  const rows = await db.$queryRaw<TraceRow[]>`
    SELECT t.trace_id, t.root_name, t.root_service, t.services, t.span_count, t.error_count,
      t.start_time_unix_nano, t.end_time_unix_nano, t.updated_at
    FROM telemetry.traces t WHERE ${await traceFilters(db, options)}
    ORDER BY t.start_time_unix_nano DESC, t.trace_id DESC LIMIT ${limit}`;
  return rows.map(toSummary);
}

/** Every service name seen in stored traces, sorted. */
export async function listServices(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ service: string }[]>`
    SELECT DISTINCT unnest(services) AS service FROM telemetry.traces ORDER BY service`;
  return rows.map((r) => r.service);
}

/** How many of a service's newest traces {@link listOperations} reads its span names from. */
export const OPERATION_SAMPLE_TRACES = 1_000;

/**
 * Span names (operations) of `service` (every service when absent), sorted, as seen in its newest
 * {@link OPERATION_SAMPLE_TRACES} traces: bounded work on a large store (primary-key probes only),
 * and an operation nobody ran lately is not offered.
 */
export async function listOperations(db: Db, service?: string): Promise<string[]> {
  const inService = service === undefined ? Prisma.empty : Prisma.sql`WHERE ${service} = ANY(t.services)`;
  const spanService = service === undefined ? Prisma.empty : Prisma.sql`AND s.service_name = ${service}`;
  const rows = await db.$queryRaw<{ name: string }[]>`
    WITH recent AS (
      SELECT t.trace_id FROM telemetry.traces t ${inService}
      ORDER BY t.start_time_unix_nano DESC LIMIT ${OPERATION_SAMPLE_TRACES})
    SELECT DISTINCT s.name FROM recent JOIN telemetry.spans s ON s.trace_id = recent.trace_id ${spanService}
    ORDER BY s.name LIMIT 500`;
  return rows.map((r) => r.name);
}
