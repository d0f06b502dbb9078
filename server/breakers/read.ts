/**
 * Loads the spans the breakers page is rebuilt from: attempt CLIENT spans (`app.retry.attempt`)
 * and breaker state-change spans (`app.breaker.to_state`) of a time window, newest first, served
 * by the partial index `spans_breaker_idx`. Only the columns the reconstruction reads.
 */
import type { Db } from "../db.ts";
import { SPAN_HEAD_COLUMNS, toSpanHead, type SpanHeadRow } from "../store/span-rows.ts";
import type { BreakerSpan } from "./build-breakers.ts";

/**
 * Breaker spans starting in [fromNs, toNs], at most `limit` (the newest). `truncated` says the
 * window held more. The predicate is a literal so the planner can use the partial index.
 */
export async function loadBreakerSpans(db: Db, window: { fromNs: bigint; toNs: bigint; limit: number }): Promise<{ spans: BreakerSpan[]; truncated: boolean }> {
  const rows = await db.$queryRawUnsafe<SpanHeadRow[]>(
    `SELECT ${SPAN_HEAD_COLUMNS} FROM telemetry.spans
     WHERE ("attributes" ? 'app.retry.attempt' OR "attributes" ? 'app.breaker.to_state')
       AND start_time_unix_nano >= $1 AND start_time_unix_nano <= $2
     ORDER BY start_time_unix_nano DESC LIMIT $3`,
    window.fromNs,
    window.toNs,
    window.limit + 1,
  );
  const truncated = rows.length > window.limit;
  return { spans: rows.slice(0, window.limit).reverse().map(toSpanHead), truncated };
}
