/**
 * One page of the dead-letter list, sliced by PostgreSQL: the dead letters (first `dead-letter`
 * span per `app.dlq.id`, none whose `discard` span says it left the DLQ) matching the filters,
 * newest first, LIMIT/OFFSET, with the counts the page shows. Node only ever receives one page's
 * ids; the spans behind them are then read by id (partial expression index
 * `spans_dead_letter_id_idx`). The rules repeat server/dlq/reconstruct.ts and
 * `discardedIds` (server/queues/view-models.ts); the integration test checks both agree.
 */
import { Attr, DEAD_LETTER_REASONS, type DeadLetterReason } from "../../services/contracts/index.ts";
import type { Db } from "../db.ts";
import { pageSlice, type PageSlice } from "./paging.ts";

export type DeadLetterFilter = {
  queue?: string | undefined;
  reason?: DeadLetterReason | undefined;
  /** `yes`: only replayed ones; `no`: only those still waiting in the DLQ. */
  replayed?: "yes" | "no" | undefined;
};

/** The page's dead letters in page order, and the figures around them. */
export type DeadLetterPageIds = PageSlice & {
  ids: string[];
  /** Dead letters matching the filters. */
  total: number;
  /** Dead letters before filtering (discarded ones excluded). */
  all: number;
  /** Every source queue with a dead letter (before filtering), sorted. */
  queues: string[];
};

type Row = { all: number; total: number; queues: string[] | null; ids: string[] | null };

// The literal `attributes ? 'app.dlq.id'` must match the partial indexes' predicate, so it is not
// a parameter. `marked` reads each span's JSONB once; the rest works on the extracted columns.
const PAGE_SQL = `
WITH marked AS MATERIALIZED (
  SELECT trace_id, span_id, start_time_unix_nano AS start,
         attributes->>'${Attr.DLQ_ID}' AS id,
         attributes->>'${Attr.MESSAGING_OPERATION_NAME}' AS op,
         attributes->>'${Attr.DLQ_SOURCE_QUEUE}' AS queue,
         attributes->>'${Attr.DLQ_REASON}' AS reason,
         attributes->>'${Attr.QUEUE_ACTION_OUTCOME}' AS outcome
  FROM telemetry.spans WHERE attributes ? 'app.dlq.id'
), flags AS (
  SELECT id, bool_or(op = 'replay') AS replayed, bool_or(op = 'discard' AND outcome = 'done') AS discarded
  FROM marked WHERE op IN ('replay', 'discard') GROUP BY id
), letters AS MATERIALIZED (
  SELECT DISTINCT ON (m.id) m.id, m.start, m.trace_id, m.span_id, coalesce(m.queue, '') AS queue,
         CASE WHEN m.reason = ANY($1::text[]) THEN m.reason ELSE 'exhausted' END AS reason,
         coalesce(f.replayed, false) AS replayed
  FROM marked m LEFT JOIN flags f ON f.id = m.id
  WHERE m.op = 'dead-letter' AND NOT coalesce(f.discarded, false)
  ORDER BY m.id, m.start, m.trace_id, m.span_id
), matched AS MATERIALIZED (
  SELECT id, start, trace_id, span_id FROM letters
  WHERE ($2::text IS NULL OR queue = $2) AND ($3::text IS NULL OR reason = $3) AND ($4::boolean IS NULL OR replayed = $4)
)
SELECT (SELECT count(*)::int FROM letters) AS "all",
       (SELECT array_agg(DISTINCT queue ORDER BY queue) FROM letters) AS queues,
       (SELECT count(*)::int FROM matched) AS total,
       (SELECT array_agg(id ORDER BY start DESC, trace_id DESC, span_id DESC)
          FROM (SELECT id, start, trace_id, span_id FROM matched ORDER BY start DESC, trace_id DESC, span_id DESC LIMIT $5 OFFSET $6) p) AS ids`;

async function queryPage(db: Db, filter: DeadLetterFilter, limit: number, offset: number): Promise<Row> {
  const replayed = filter.replayed === undefined ? null : filter.replayed === "yes";
  const [row] = await db.$queryRawUnsafe<Row[]>(PAGE_SQL, [...DEAD_LETTER_REASONS], filter.queue ?? null, filter.reason ?? null, replayed, limit, offset);
  return row ?? { all: 0, total: 0, queues: [], ids: [] };
}

/**
 * The ids of page `page` (1-based) of the dead letters matching `filter`. A page past the end
 * (rows went away between polls) is read again as the last page.
 */
export async function loadDeadLetterPageIds(db: Db, filter: DeadLetterFilter, page: number, pageSize: number): Promise<DeadLetterPageIds> {
  let slice = pageSlice(Number.MAX_SAFE_INTEGER, page, pageSize);
  let row = await queryPage(db, filter, slice.limit, slice.offset);
  const clamped = pageSlice(row.total, page, pageSize);
  if (clamped.page !== slice.page) row = await queryPage(db, filter, clamped.limit, clamped.offset);
  slice = clamped;
  return { ...slice, ids: row.ids ?? [], total: row.total, all: row.all, queues: row.queues ?? [] };
}
