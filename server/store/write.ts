/**
 * Writes a batch of spans in ONE transaction: COPY the rows into a per-connection temp staging
 * table, then one statement that stores the batch's resources, inserts the staged spans into
 * telemetry.spans and folds exactly the inserted rows into telemetry.traces. The HTTP answer waits
 * for the COMMIT (synchronous_commit stays on): nothing acknowledged can be lost.
 *
 * Why this shape. Figures from bench/ingest.ts (300k spans, OTLP protobuf requests of 512 spans,
 * 4 senders, 2 cores shared with other work; collector vs bare COPY of the same spans in one run):
 * - Before: one INSERT ... SELECT FROM unnest(15 bound arrays), resource JSONB on every span, a
 *   start-time index: 14.0k-21.1k spans/s, 0.68-0.84 of a bare COPY (20.7k-25.1k/s then). The
 *   collector spent ~13% in node-postgres array-literal escaping (every quote of every JSON text)
 *   plus 18% GC, and PostgreSQL parsed the same array literals again.
 * - COPY text needs one escape pass (JSON: backslashes only) and is the server's cheapest input
 *   path: 2048 spans stage in ~21 ms. INSERT ... SELECT from the stage keeps the traces fold in the
 *   same transaction.
 * - Plain INSERT first: ON CONFLICT DO NOTHING costs ~40% more per row (speculative insertion:
 *   3 WAL records a row; 26 vs 16 ms per 2048 spans). Duplicates (exporter retries) are rare, so a
 *   unique violation rolls back and redoes the batch with ON CONFLICT DO NOTHING.
 * - Resources (~155 of ~655 bytes a row, identical for all spans of a process) are stored once in
 *   telemetry.resources under a 64-bit md5 prefix computed here; spans carry resource_id.
 * - No start-time index on spans (retention walks telemetry.traces): one index less per row.
 * After (same machine): 24.9k-28.4k spans/s, while the bare COPY of the narrower rows rose to
 * 44k-56k/s (ratio 0.49-0.59). CPU during the send: collector ~65%, postgres ~68%, senders ~20% of
 * one core: ingest is latency-bound (each exporter waits for its commit), hence small batches
 * written by 3 connections (see server/collector/env.ts). The next limit is protobufjs decoding
 * (~50k spans/s on one core).
 */
import type pg from "pg";
import { copyFrom } from "./copy-in.ts";
import { SPAN_COPY_COLUMNS, encodeSpanRows, type SpanRows } from "./copy-rows.ts";
import type { StoredSpan } from "./types.ts";

/** Temp table, created once per connection and emptied by every commit. */
const CREATE_STAGE_SQL = `
CREATE TEMP TABLE IF NOT EXISTS span_stage (
  trace_id text NOT NULL, span_id text NOT NULL, parent_span_id text, name text NOT NULL,
  kind int2 NOT NULL, service_name text NOT NULL, start_time_unix_nano int8 NOT NULL,
  end_time_unix_nano int8 NOT NULL, status_code int2 NOT NULL, status_message text,
  attributes jsonb NOT NULL, events jsonb NOT NULL, links jsonb NOT NULL, resource_id int8 NOT NULL,
  scope_name text
) ON COMMIT DELETE ROWS`;

const COPY_STAGE_SQL = `COPY span_stage (${SPAN_COPY_COLUMNS}) FROM STDIN`;

/**
 * The span that names a trace (root_name, root_service): the span without a parent; until it
 * arrives, the earliest span that is not a CLIENT span (a Redis command or an SQL statement says
 * little about what the trace is), else the earliest span. root_rank keeps the rank (0, 1, 2) so
 * a later batch replaces the name only with a better-ranked or, at the same rank, earlier span.
 * `onConflict` is "" on the fast path (a plain insert is ~40% cheaper than ON CONFLICT's
 * speculative insertion) and "ON CONFLICT DO NOTHING" when the batch must skip stored duplicates.
 */
const BETTER_NAME = `(EXCLUDED.root_rank < t.root_rank OR (EXCLUDED.root_rank = t.root_rank AND t.root_rank > 0
    AND EXCLUDED.root_start_unix_nano < coalesce(t.root_start_unix_nano, t.start_time_unix_nano)))`;
const insertSpansSql = (onConflict: string) => `
WITH resources AS (
  INSERT INTO telemetry.resources (id, attributes)
  SELECT * FROM unnest($1::int8[], $2::jsonb[])
  ON CONFLICT DO NOTHING
),
inserted AS (
  INSERT INTO telemetry.spans AS s (${SPAN_COPY_COLUMNS})
  SELECT ${SPAN_COPY_COLUMNS} FROM span_stage
  ${onConflict}
  RETURNING s.trace_id, s.parent_span_id, s.name, s.service_name, s.start_time_unix_nano,
    s.end_time_unix_nano, s.status_code,
    CASE WHEN s.parent_span_id IS NULL THEN 0 WHEN s.kind = 3 THEN 2 ELSE 1 END AS name_rank
),
per_trace AS (
  SELECT trace_id,
    count(*)::int AS span_count,
    (count(*) FILTER (WHERE status_code = 2))::int AS error_count,
    min(start_time_unix_nano) AS start_ns,
    max(end_time_unix_nano) AS end_ns,
    array_agg(DISTINCT service_name ORDER BY service_name) AS services,
    bool_or(parent_span_id IS NULL) AS has_root,
    min(name_rank)::smallint AS root_rank,
    (array_agg(name ORDER BY name_rank, start_time_unix_nano))[1] AS root_name,
    (array_agg(service_name ORDER BY name_rank, start_time_unix_nano))[1] AS root_service,
    (array_agg(start_time_unix_nano ORDER BY name_rank, start_time_unix_nano))[1] AS root_start
  FROM inserted GROUP BY trace_id
)
INSERT INTO telemetry.traces AS t (trace_id, root_name, root_service, root_rank, root_start_unix_nano,
  has_root, services, span_count, error_count, start_time_unix_nano, end_time_unix_nano, updated_at)
SELECT trace_id, root_name, root_service, root_rank, root_start, has_root, services, span_count,
  error_count, start_ns, end_ns, now()
FROM per_trace
ORDER BY trace_id -- one lock order for concurrent batches touching the same traces
ON CONFLICT (trace_id) DO UPDATE SET
  root_name = CASE WHEN ${BETTER_NAME} THEN EXCLUDED.root_name ELSE t.root_name END,
  root_service = CASE WHEN ${BETTER_NAME} THEN EXCLUDED.root_service ELSE t.root_service END,
  root_start_unix_nano = CASE WHEN ${BETTER_NAME} THEN EXCLUDED.root_start_unix_nano ELSE t.root_start_unix_nano END,
  root_rank = LEAST(t.root_rank, EXCLUDED.root_rank),
  has_root = t.has_root OR EXCLUDED.has_root,
  services = ARRAY(SELECT DISTINCT x FROM unnest(t.services || EXCLUDED.services) AS x ORDER BY x),
  span_count = t.span_count + EXCLUDED.span_count,
  error_count = t.error_count + EXCLUDED.error_count,
  start_time_unix_nano = LEAST(t.start_time_unix_nano, EXCLUDED.start_time_unix_nano),
  end_time_unix_nano = GREATEST(t.end_time_unix_nano, EXCLUDED.end_time_unix_nano),
  updated_at = now()`;
const INSERT_NEW_SPANS_SQL = insertSpansSql("");
const INSERT_SPANS_SKIP_DUPLICATES_SQL = insertSpansSql("ON CONFLICT DO NOTHING");
const UNIQUE_VIOLATION = "23505";

/** Pooled connections that already have their staging table (pg reuses client objects). */
const staged = new WeakSet<pg.ClientBase>();

async function writeBatch(client: pg.PoolClient, rows: SpanRows, insertSql: string): Promise<void> {
  if (!staged.has(client)) {
    await client.query(CREATE_STAGE_SQL);
    staged.add(client);
  }
  await client.query("BEGIN");
  try {
    await copyFrom(client, COPY_STAGE_SQL, rows.chunks);
    await client.query(insertSql, [rows.resourceIds, rows.resourceJson]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}

/**
 * Inserts `spans` and updates their traces' summaries in one transaction (atomic).
 * Spans already stored (same trace id + span id) are ignored and not counted twice.
 */
export async function insertSpans(pool: pg.Pool, spans: readonly StoredSpan[]): Promise<void> {
  if (spans.length === 0) return;
  const client = await pool.connect();
  // A connection lost between two statements (PostgreSQL restarted, backend terminated) is an
  // 'error' event on the client, which pg-pool does not listen to while the client is checked
  // out: unheard, it would crash the collector. Keep it; the next statement fails with it anyway.
  let lost: Error | undefined;
  const onLost = (err: Error) => void (lost = err);
  client.on("error", onLost);
  let failure: unknown;
  try {
    const rows = encodeSpanRows(spans);
    // Duplicates (exporter retries) are rare: try the plain insert, redo the whole transaction
    // skipping duplicates only when it hit one (same batch twice or an already stored span).
    await writeBatch(client, rows, INSERT_NEW_SPANS_SQL).catch((err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
      return writeBatch(client, rows, INSERT_SPANS_SKIP_DUPLICATES_SQL);
    });
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    // A connection that failed mid-transaction is not reused: its state is unknown.
    client.off("error", onLost);
    client.release(failure instanceof Error ? failure : lost);
  }
}

/**
 * SQLSTATE classes of errors caused by the data of some row (22: data exception, e.g. a string
 * jsonb cannot hold; 54: program limit, e.g. nesting too deep), as opposed to the database being
 * unavailable. Decoding makes spans storable, so these are a last line of defence.
 */
const ROW_DATA_ERROR = /^(22|54)/;

function isRowDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && ROW_DATA_ERROR.test(code);
}

/**
 * Like {@link insertSpans}, but one span the database refuses never fails the others: on a row
 * data error the batch is split in halves and each half written on its own, down to the single
 * refused spans, which are returned (the export answers them in partial_success). Any other error
 * (connection lost, database down) is thrown: nothing of the failed part was committed.
 */
export async function insertSpansIsolating(pool: pg.Pool, spans: readonly StoredSpan[]): Promise<Set<StoredSpan>> {
  const refused = new Set<StoredSpan>();
  const write = async (part: readonly StoredSpan[]): Promise<void> => {
    try {
      await insertSpans(pool, part);
    } catch (err) {
      if (!isRowDataError(err)) throw err;
      if (part.length === 1) return void refused.add(part[0]!);
      const half = Math.ceil(part.length / 2);
      await write(part.slice(0, half));
      await write(part.slice(half));
    }
  };
  await write(spans);
  return refused;
}

