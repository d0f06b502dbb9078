/**
 * Loads the spans sagas are rebuilt from: every span carrying `app.saga.id` (served by the
 * partial expression index `spans_saga_idx`). The literal `attributes ? 'app.saga.id'` must
 * match the index predicate, so it is written inline, never as a parameter.
 */
import type { Db } from "../db.ts";
import { SPAN_KINDS, STATUS_CODES, type Attributes, type StoredSpan } from "../store/types.ts";

type Row = {
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

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

/** Rows become StoredSpans without events and resource (saga views need neither). */
function toSpan(r: Row): StoredSpan {
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
    events: [],
    links: json<StoredSpan["links"]>(r.links),
    resource: {},
    scopeName: null,
  };
}

const COLUMNS = `trace_id, span_id, parent_span_id, name, kind, service_name, start_time_unix_nano,
  end_time_unix_nano, status_code, status_message, attributes, links`;

/** Every span of the newest `limit` sagas (by their first span), in no particular order. */
export async function loadRecentSagaSpans(db: Db, limit: number): Promise<StoredSpan[]> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH recent AS (
       SELECT attributes ->> 'app.saga.id' AS id, min(start_time_unix_nano) AS started
       FROM telemetry.spans WHERE attributes ? 'app.saga.id'
       GROUP BY 1 ORDER BY started DESC LIMIT $1)
     SELECT ${COLUMNS} FROM telemetry.spans
     WHERE attributes ? 'app.saga.id' AND (attributes ->> 'app.saga.id') IN (SELECT id FROM recent)`,
    limit,
  );
  return rows.map(toSpan);
}

/** Every span of one saga, across all the traces it spans (resumes start new traces). */
export async function loadSagaSpans(db: Db, sagaId: string): Promise<StoredSpan[]> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT ${COLUMNS} FROM telemetry.spans
     WHERE attributes ? 'app.saga.id' AND (attributes ->> 'app.saga.id') = $1`,
    sagaId,
  );
  return rows.map(toSpan);
}

/** The saga of an order (`app.order.id` on its saga spans), or null when it has none yet. */
export async function findSagaIdOfOrder(db: Db, orderId: string): Promise<string | null> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT attributes ->> 'app.saga.id' AS id FROM telemetry.spans
     WHERE attributes ? 'app.saga.id' AND (attributes ->> 'app.order.id') = $1 LIMIT 1`,
    orderId,
  );
  return rows[0]?.id ?? null;
}
