/**
 * The two reads the Jaeger query API needs beyond server/store/read.ts: the spans of several
 * traces at once (a search answers whole traces) and operations with their span kind. Trace
 * search itself is the store's own (`listTraces`); these only load what it found.
 */
import { Prisma } from "../../../prisma/generated/telemetry/client.ts";
import type { Db } from "../../db.ts";
import { OPERATION_SAMPLE_TRACES } from "../../store/read.ts";
import { SELECT_SPAN_DETAILS, toStoredSpan, type SpanDetailRow } from "../../store/span-rows.ts";
import { SPAN_KINDS, type SpanKind, type StoredSpan } from "../../store/types.ts";

/** Every span of `traceIds`, grouped by trace id, each trace's spans ordered by start time. */
export async function getTraces(db: Db, traceIds: readonly string[]): Promise<Map<string, StoredSpan[]>> {
  const byTrace = new Map<string, StoredSpan[]>(traceIds.map((id) => [id, []]));
  if (traceIds.length === 0) return byTrace;
  const rows = await db.$queryRaw<SpanDetailRow[]>`
    ${SELECT_SPAN_DETAILS}
    WHERE s.trace_id = ANY(${[...traceIds]}::bpchar[])
    ORDER BY s.trace_id, s.start_time_unix_nano, s.span_id`;
  for (const row of rows) byTrace.get(row.trace_id)?.push(toStoredSpan(row));
  return byTrace;
}

/** One operation of a service: a span name and the kind its spans have. */
export type OperationKind = { name: string; kind: SpanKind };

/**
 * Span names of `service` with their kind (a name used with two kinds is listed twice), sorted,
 * sampled like `listOperations` (the service's newest {@link OPERATION_SAMPLE_TRACES} traces).
 */
export async function listOperationKinds(db: Db, service: string, kind?: SpanKind): Promise<OperationKind[]> {
  const ofKind = kind === undefined ? Prisma.empty : Prisma.sql`AND s.kind = ${SPAN_KINDS.indexOf(kind)}`;
  const rows = await db.$queryRaw<{ name: string; kind: number }[]>`
    WITH recent AS (
      SELECT t.trace_id FROM telemetry.traces t WHERE ${service} = ANY(t.services)
      ORDER BY t.start_time_unix_nano DESC LIMIT ${OPERATION_SAMPLE_TRACES})
    SELECT DISTINCT s.name, s.kind FROM recent JOIN telemetry.spans s ON s.trace_id = recent.trace_id
    WHERE s.service_name = ${service} ${ofKind}
    ORDER BY s.name, s.kind LIMIT 1000`;
  return rows.map((r) => ({ name: r.name, kind: SPAN_KINDS[r.kind] ?? "UNSPECIFIED" }));
}
