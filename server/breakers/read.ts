/**
 * Loads the spans the breakers page is rebuilt from: attempt CLIENT spans (`app.retry.attempt`)
 * and breaker state-change spans (`app.breaker.to_state`) of a time window, newest first, served
 * by the partial index `spans_breaker_idx`. Only the columns the reconstruction reads.
 */
import type { Db } from "../db.ts";
import { SPAN_HEAD_COLUMNS, toSpanHead, type SpanHeadRow } from "../store/span-rows.ts";
import type { BreakerSpan } from "./build-breakers.ts";

/** Transition spans read per window at most: a breaker flapping every second for 6 h stays below. */
export const MAX_TRANSITIONS = 25_000;

type Window = { fromNs: bigint; toNs: bigint; limit: number };

/**
 * Breaker spans starting in [fromNs, toNs]: the newest `limit` of them (`truncated` says the window
 * held more), plus every transition span of the window, however many call spans there were, so a
 * busy window never loses its first CLOSED→OPEN. The predicates repeat the partial index's literals
 * so the planner can use it (`to_state` alone implies the index's `retry.attempt OR to_state`).
 */
export async function loadBreakerSpans(db: Db, window: Window): Promise<{ spans: BreakerSpan[]; truncated: boolean }> {
  const [rows, transitionRows] = await Promise.all([
    db.$queryRawUnsafe<SpanHeadRow[]>(
      `SELECT ${SPAN_HEAD_COLUMNS} FROM telemetry.spans
       WHERE ("attributes" ? 'app.retry.attempt' OR "attributes" ? 'app.breaker.to_state')
         AND start_time_unix_nano >= $1 AND start_time_unix_nano <= $2
       ORDER BY start_time_unix_nano DESC LIMIT $3`,
      window.fromNs,
      window.toNs,
      window.limit + 1,
    ),
    db.$queryRawUnsafe<SpanHeadRow[]>(
      `SELECT ${SPAN_HEAD_COLUMNS} FROM telemetry.spans
       WHERE "attributes" ? 'app.breaker.to_state'
         AND start_time_unix_nano >= $1 AND start_time_unix_nano <= $2
       ORDER BY start_time_unix_nano DESC LIMIT $3`,
      window.fromNs,
      window.toNs,
      MAX_TRANSITIONS,
    ),
  ]);
  const truncated = rows.length > window.limit;
  const calls = rows.slice(0, window.limit).reverse().map(toSpanHead);
  return { spans: mergeBreakerSpans(calls, transitionRows.map(toSpanHead)), truncated };
}

/**
 * The call spans with every transition span added once (a transition among the newest spans is
 * in both lists), oldest first.
 */
export function mergeBreakerSpans(calls: BreakerSpan[], transitions: BreakerSpan[]): BreakerSpan[] {
  const seen = new Set(calls.map((s) => `${s.traceId}/${s.spanId}`));
  const extra = transitions.filter((s) => !seen.has(`${s.traceId}/${s.spanId}`));
  if (extra.length === 0) return calls;
  return [...extra, ...calls].sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano) ? 1 : 0));
}
