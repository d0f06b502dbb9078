/**
 * Loads the spans sagas are rebuilt from: every span carrying `app.saga.id` (served by the
 * partial expression index `spans_saga_idx`). The literal `attributes ? 'app.saga.id'` must
 * match the index predicate, so it is written inline, never as a parameter. The spans come without
 * events and resource (saga views need neither).
 */
import type { Db } from "../db.ts";
import { SPAN_COLUMNS, toStoredSpan, type SpanRow } from "../store/span-rows.ts";
import type { StoredSpan } from "../store/types.ts";

/** Every span of the newest `limit` sagas (by their first span), in no particular order. */
export async function loadRecentSagaSpans(db: Db, limit: number): Promise<StoredSpan[]> {
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `WITH recent AS (
       SELECT attributes ->> 'app.saga.id' AS id, min(start_time_unix_nano) AS started
       FROM telemetry.spans WHERE attributes ? 'app.saga.id'
       GROUP BY 1 ORDER BY started DESC LIMIT $1)
     SELECT ${SPAN_COLUMNS} FROM telemetry.spans
     WHERE attributes ? 'app.saga.id' AND (attributes ->> 'app.saga.id') IN (SELECT id FROM recent)`,
    limit,
  );
  return rows.map(toStoredSpan);
}

/** Every span of one saga, across all the traces it spans (resumes start new traces). */
export async function loadSagaSpans(db: Db, sagaId: string): Promise<StoredSpan[]> {
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `SELECT ${SPAN_COLUMNS} FROM telemetry.spans
     WHERE attributes ? 'app.saga.id' AND (attributes ->> 'app.saga.id') = $1`,
    sagaId,
  );
  return rows.map(toStoredSpan);
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
