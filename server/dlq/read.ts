/**
 * Loads the spans the dead-letter page is rebuilt from: every span carrying `app.dlq.id`
 * (dead-letter and replay spans; served by the partial index `spans_dead_letter_idx`), plus the
 * consumer and dead-letter spans of the replays' new traces (by trace id: the primary key). The
 * spans come without events and resource (the page needs neither).
 */
import { Attr } from "../../services/contracts/index.ts";
import type { Db } from "../db.ts";
import { SPAN_COLUMNS, toStoredSpan, type SpanRow } from "../store/span-rows.ts";
import type { StoredSpan } from "../store/types.ts";

/** OTLP SpanKind CONSUMER (see telemetry.spans.kind). */
const CONSUMER_KIND = 5;

/** Newest `limit` dead-letter and replay spans. */
async function loadMarkedSpans(db: Db, limit: number): Promise<StoredSpan[]> {
  // The literal `attributes ? 'app.dlq.id'` must match the index predicate, so it is not a parameter.
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `SELECT ${SPAN_COLUMNS} FROM telemetry.spans WHERE attributes ? 'app.dlq.id'
     ORDER BY start_time_unix_nano DESC LIMIT $1`,
    limit,
  );
  return rows.map(toStoredSpan);
}

/** The dead-letter and replay spans of one trace, and every such span about the same dead letters. */
async function loadTraceMarkedSpans(db: Db, traceId: string): Promise<StoredSpan[]> {
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `WITH ids AS (
       SELECT DISTINCT attributes->>'app.dlq.id' AS id FROM telemetry.spans
       WHERE trace_id = $1 AND attributes ? 'app.dlq.id')
     SELECT ${SPAN_COLUMNS} FROM telemetry.spans
     WHERE attributes ? 'app.dlq.id' AND attributes->>'app.dlq.id' IN (SELECT id FROM ids)`,
    traceId,
  );
  return rows.map(toStoredSpan);
}

/** The consumer and dead-letter spans of the given (replay) traces. */
async function loadReplayTraceSpans(db: Db, traceIds: string[]): Promise<StoredSpan[]> {
  if (traceIds.length === 0) return [];
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `SELECT ${SPAN_COLUMNS} FROM telemetry.spans
     WHERE trace_id = ANY($1::text[]) AND (kind = ${CONSUMER_KIND} OR attributes ? 'app.dlq.id')`,
    traceIds,
  );
  return rows.map(toStoredSpan);
}

const REPLAY_OPERATION = "replay";

/**
 * Everything {@link buildDeadLetterEntries} needs for the newest `limit` dead-letter/replay spans.
 * With `traceId`: only the dead letters that trace holds or replays, wherever their other spans are.
 */
export async function loadDeadLetterSpans(db: Db, options: { limit: number; traceId?: string }): Promise<StoredSpan[]> {
  const all = options.traceId ? await loadTraceMarkedSpans(db, options.traceId) : await loadMarkedSpans(db, options.limit);
  const replayTraces = [...new Set(all.filter((s) => s.attributes[Attr.MESSAGING_OPERATION_NAME] === REPLAY_OPERATION).map((s) => s.traceId))];
  const replaySpans = await loadReplayTraceSpans(db, replayTraces);
  const seen = new Set<string>();
  return [...all, ...replaySpans].filter((s) => {
    const key = `${s.traceId}/${s.spanId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
