/**
 * Loads the spans the breakers page is rebuilt from: attempt CLIENT spans (`app.retry.attempt`)
 * and breaker state-change spans (`app.breaker.to_state`) of a time window, newest first, served
 * by the partial index `spans_breaker_idx`. Only the columns the reconstruction reads.
 */
import type { Db } from "../db.ts";
import { SPAN_KINDS, STATUS_CODES, type Attributes } from "../store/types.ts";
import type { BreakerSpan } from "./build-breakers.ts";

type Row = {
  trace_id: string;
  span_id: string;
  name: string;
  kind: number;
  service_name: string;
  start_time_unix_nano: bigint;
  status_code: number;
  attributes: unknown;
};

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

function toSpan(r: Row): BreakerSpan {
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

/**
 * Breaker spans starting in [fromNs, toNs], at most `limit` (the newest). `truncated` says the
 * window held more. The predicate is a literal so the planner can use the partial index.
 */
export async function loadBreakerSpans(db: Db, window: { fromNs: bigint; toNs: bigint; limit: number }): Promise<{ spans: BreakerSpan[]; truncated: boolean }> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT trace_id, span_id, name, kind, service_name, start_time_unix_nano, status_code, attributes
     FROM telemetry.spans
     WHERE ("attributes" ? 'app.retry.attempt' OR "attributes" ? 'app.breaker.to_state')
       AND start_time_unix_nano >= $1 AND start_time_unix_nano <= $2
     ORDER BY start_time_unix_nano DESC LIMIT $3`,
    window.fromNs,
    window.toNs,
    window.limit + 1,
  );
  const truncated = rows.length > window.limit;
  return { spans: rows.slice(0, window.limit).reverse().map(toSpan), truncated };
}
