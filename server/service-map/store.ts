/**
 * SQL of the service-map aggregates: upserts from the collector (node-postgres pool, one
 * statement per table and flush) and the window reads of the map and services page (Prisma).
 */
import type pg from "pg";
import { Prisma } from "../../prisma/generated/telemetry/client.ts";
import type { Db } from "../db.ts";
import { Attr } from "../../services/contracts/semconv.ts";
import type { EdgeMinuteRow, InstanceMinuteRow } from "./accumulator.ts";
import { EdgeTypeSchema, type EdgeRow } from "./types.ts";

const UPSERT_EDGES_SQL = `
INSERT INTO telemetry.edge_minutes AS t (bucket, from_node, to_node, edge_type, calls, errors,
  duration_sum_us, duration_max_us, latency_hist)
SELECT to_timestamp(b / 1000.0), f, tn, ty, c, e, s, m, h::int[]
FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::int4[], $7::int8[], $8::int8[], $9::text[])
  AS u(b, f, tn, ty, c, e, s, m, h)
ORDER BY 1, 2, 3, 4
ON CONFLICT (bucket, from_node, to_node, edge_type) DO UPDATE SET
  calls = t.calls + EXCLUDED.calls,
  errors = t.errors + EXCLUDED.errors,
  duration_sum_us = t.duration_sum_us + EXCLUDED.duration_sum_us,
  duration_max_us = GREATEST(t.duration_max_us, EXCLUDED.duration_max_us),
  latency_hist = ARRAY(SELECT coalesce(a, 0) + coalesce(x, 0)
    FROM unnest(t.latency_hist, EXCLUDED.latency_hist) AS v(a, x))`;

const UPSERT_INSTANCES_SQL = `
INSERT INTO telemetry.instance_minutes AS t (bucket, service_name, instance_id, requests, errors, duration_sum_us)
SELECT to_timestamp(b / 1000.0), s, i, r, e, d
FROM unnest($1::int8[], $2::text[], $3::text[], $4::int4[], $5::int4[], $6::int8[]) AS u(b, s, i, r, e, d)
ORDER BY 1, 2, 3
ON CONFLICT (bucket, service_name, instance_id) DO UPDATE SET
  requests = t.requests + EXCLUDED.requests,
  errors = t.errors + EXCLUDED.errors,
  duration_sum_us = t.duration_sum_us + EXCLUDED.duration_sum_us`;

/** Adds `rows` to telemetry.edge_minutes (one statement). */
export async function upsertEdgeMinutes(pool: pg.Pool, rows: readonly EdgeMinuteRow[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(UPSERT_EDGES_SQL, [
    rows.map((r) => r.bucketMs), rows.map((r) => r.from), rows.map((r) => r.to), rows.map((r) => r.type),
    rows.map((r) => r.calls), rows.map((r) => r.errors), rows.map((r) => r.durationSumUs),
    rows.map((r) => r.durationMaxUs), rows.map((r) => `{${r.latencyHist.join(",")}}`),
  ]);
}

/** Adds `rows` to telemetry.instance_minutes (one statement). */
export async function upsertInstanceMinutes(pool: pg.Pool, rows: readonly InstanceMinuteRow[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(UPSERT_INSTANCES_SQL, [
    rows.map((r) => r.bucketMs), rows.map((r) => r.service), rows.map((r) => r.instanceId),
    rows.map((r) => r.requests), rows.map((r) => r.errors), rows.map((r) => r.durationSumUs),
  ]);
}

/** Deletes aggregate rows of minutes before `beforeMs`; returns how many went. */
export async function deleteAggregatesBefore(pool: pg.Pool, beforeMs: number): Promise<number> {
  const cutoff = new Date(beforeMs);
  const a = await pool.query("DELETE FROM telemetry.edge_minutes WHERE bucket < $1", [cutoff]);
  const b = await pool.query("DELETE FROM telemetry.instance_minutes WHERE bucket < $1", [cutoff]);
  return (a.rowCount ?? 0) + (b.rowCount ?? 0);
}

/** Service of each (trace id, span id) found in telemetry.spans, by span id (PK lookups). */
export async function findSpanServices(pool: pg.Pool, keys: readonly { traceId: string; spanId: string }[]) {
  const found = new Map<string, { service: string; kind: number; destination: string | null }>();
  if (keys.length === 0) return found;
  const { rows } = await pool.query<{ span_id: string; service_name: string; kind: number; destination: string | null }>(
    `SELECT span_id, service_name, kind, attributes->>$3 AS destination FROM telemetry.spans
     WHERE (trace_id, span_id) IN (SELECT * FROM unnest($1::bpchar[], $2::bpchar[]))`,
    [keys.map((k) => k.traceId), keys.map((k) => k.spanId), Attr.MESSAGING_DESTINATION_NAME],
  );
  for (const r of rows) found.set(r.span_id, { service: r.service_name, kind: r.kind, destination: r.destination });
  return found;
}

type EdgeDbRow = { from_node: string; to_node: string; edge_type: string; calls: bigint; errors: bigint;
  sum_us: bigint; max_us: bigint; hist: number[] };

/** Edge sums over minutes [fromMs, toMs) read from the bucket table only. */
export async function readEdgeRows(db: Db, fromMs: number, toMs: number): Promise<EdgeRow[]> {
  const rows = await db.$queryRaw<EdgeDbRow[]>(Prisma.sql`
    WITH w AS (
      SELECT * FROM telemetry.edge_minutes WHERE bucket >= ${new Date(fromMs)} AND bucket < ${new Date(toMs)}
    ), h AS (
      SELECT from_node, to_node, edge_type, i, sum(n)::int AS n
      FROM w, unnest(w.latency_hist) WITH ORDINALITY AS u(n, i) GROUP BY 1, 2, 3, 4
    )
    SELECT w.from_node, w.to_node, w.edge_type, sum(calls)::int8 AS calls, sum(errors)::int8 AS errors,
      sum(duration_sum_us)::int8 AS sum_us, max(duration_max_us)::int8 AS max_us,
      (SELECT array_agg(n ORDER BY i) FROM h
        WHERE h.from_node = w.from_node AND h.to_node = w.to_node AND h.edge_type = w.edge_type) AS hist
    FROM w GROUP BY 1, 2, 3`);
  return rows.map((r) => ({
    from: r.from_node, to: r.to_node, type: EdgeTypeSchema.parse(r.edge_type), calls: Number(r.calls),
    errors: Number(r.errors), durationSumUs: Number(r.sum_us), durationMaxUs: Number(r.max_us), latencyHist: r.hist ?? [],
  }));
}

/** Requests served per service instance over minutes [fromMs, toMs). */
export type InstanceRequests = { service: string; instanceId: string; requests: number; errors: number;
  avgMs: number; lastBucketMs: number };

export async function readInstanceRequests(db: Db, fromMs: number, toMs: number): Promise<InstanceRequests[]> {
  const rows = await db.$queryRaw<{ service_name: string; instance_id: string; requests: bigint; errors: bigint; sum_us: bigint; last: Date }[]>(
    Prisma.sql`SELECT service_name, instance_id, sum(requests)::int8 AS requests, sum(errors)::int8 AS errors,
      sum(duration_sum_us)::int8 AS sum_us, max(bucket) AS last
    FROM telemetry.instance_minutes WHERE bucket >= ${new Date(fromMs)} AND bucket < ${new Date(toMs)}
    GROUP BY 1, 2 ORDER BY 1, 2`);
  return rows.map((r) => ({
    service: r.service_name, instanceId: r.instance_id, requests: Number(r.requests), errors: Number(r.errors),
    avgMs: Number(r.requests) > 0 ? Number(r.sum_us) / Number(r.requests) / 1000 : 0, lastBucketMs: r.last.getTime(),
  }));
}
