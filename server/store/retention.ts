/**
 * Retention cap: keeps at most `maxSpans` spans by deleting whole traces, oldest first.
 * The cutoff comes from telemetry.traces (walk its start-time index newest-first, summing
 * span_count), so neither a count(*) of spans nor an index on the spans' start time is needed.
 */
import type { Pool } from "pg";

/** Traces deleted per statement: keeps each transaction (and its locks) short. */
const DELETE_CHUNK_TRACES = 2000;

/** Start of the newest trace whose spans, added to all newer traces' spans, exceed the cap. */
const CUTOFF_SQL = `
SELECT start_ns::text AS cutoff FROM (
  SELECT start_time_unix_nano AS start_ns,
    sum(span_count) OVER (ORDER BY start_time_unix_nano DESC ROWS UNBOUNDED PRECEDING) AS newer_spans
  FROM telemetry.traces
) AS t
WHERE newer_spans > $1 LIMIT 1`;

const DELETE_SQL = `
WITH doomed AS (
  DELETE FROM telemetry.traces WHERE trace_id IN (
    SELECT trace_id FROM telemetry.traces WHERE start_time_unix_nano <= $1::int8
    ORDER BY start_time_unix_nano LIMIT $2)
  RETURNING trace_id
), gone AS (
  DELETE FROM telemetry.spans WHERE trace_id IN (SELECT trace_id FROM doomed) RETURNING 1
)
SELECT (SELECT count(*) FROM doomed)::int AS traces, (SELECT count(*) FROM gone)::int AS spans`;

/** What one retention pass removed. */
export type RetentionResult = { deletedTraces: number; deletedSpans: number };

/**
 * Deletes the oldest traces (with all their spans) until at most `maxSpans` spans remain:
 * every trace starting at or before the first trace (newest-first) that crosses the cap.
 */
export async function enforceRetention(pool: Pool, maxSpans: number): Promise<RetentionResult> {
  const cut = await pool.query<{ cutoff: string }>(CUTOFF_SQL, [maxSpans]);
  const cutoff = cut.rows[0]?.cutoff;
  const total: RetentionResult = { deletedTraces: 0, deletedSpans: 0 };
  if (cutoff === undefined) return total;
  for (;;) {
    const res = await pool.query<{ traces: number; spans: number }>(DELETE_SQL, [cutoff, DELETE_CHUNK_TRACES]);
    const row = res.rows[0] ?? { traces: 0, spans: 0 };
    total.deletedTraces += row.traces;
    total.deletedSpans += row.spans;
    if (row.traces < DELETE_CHUNK_TRACES) return total;
  }
}

/** Runs `enforceRetention` every `intervalMs`, never overlapping itself. Returns a stop function. */
export function startRetentionJob(
  pool: Pool,
  opts: { maxSpans: number; intervalMs: number; onError: (err: unknown) => void; onResult?: (r: RetentionResult) => void },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running !== null) return;
    running = enforceRetention(pool, opts.maxSpans)
      .then((r) => opts.onResult?.(r), opts.onError)
      .finally(() => (running = null));
  }, opts.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
