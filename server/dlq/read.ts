/**
 * Loads the spans the dead-letter page is rebuilt from: the spans carrying `app.dlq.id` of the
 * dead letters asked for (dead-letter, replay and discard spans; by id through the partial index
 * `spans_dead_letter_id_idx`), plus the consumer and dead-letter spans of the replays' new traces
 * (by trace id: the primary key). The spans come without events and resource (the page needs
 * neither). Which ids make a page: ./page-query.ts.
 */
import { Attr } from "../../services/contracts/index.ts";
import type { Db } from "../db.ts";
import { SPAN_COLUMNS, toStoredSpan, type SpanRow } from "../store/span-rows.ts";
import type { StoredSpan } from "../store/types.ts";

/** OTLP SpanKind CONSUMER (see telemetry.spans.kind). */
const CONSUMER_KIND = 5;

/** The dead-letter and replay spans of one trace, and every such span about the same dead letters. */
async function loadTraceMarkedSpans(db: Db, traceId: string): Promise<StoredSpan[]> {
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `WITH ids AS (
       SELECT DISTINCT attributes->>'app.dlq.id' AS id FROM telemetry.spans
       WHERE trace_id = $1 AND attributes ? 'app.dlq.id')
     SELECT ${SPAN_COLUMNS} FROM telemetry.spans
     WHERE attributes ? 'app.dlq.id' AND (attributes->>'app.dlq.id') IN (SELECT id FROM ids)`,
    traceId,
  );
  return rows.map(toStoredSpan);
}

/** Every span about the given dead letters (the expression matches `spans_dead_letter_id_idx`). */
async function loadMarkedSpansOf(db: Db, ids: readonly string[]): Promise<StoredSpan[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `SELECT ${SPAN_COLUMNS} FROM telemetry.spans
     WHERE attributes ? 'app.dlq.id' AND (attributes->>'app.dlq.id') = ANY($1::text[])`,
    [...ids],
  );
  return rows.map(toStoredSpan);
}

/**
 * The consumer and dead-letter spans of the given (replay) traces. `bpchar[]`, not `text[]`: a
 * text comparison would cast trace_id and miss the primary key (a full scan of the spans).
 */
async function loadReplayTraceSpans(db: Db, traceIds: string[]): Promise<StoredSpan[]> {
  if (traceIds.length === 0) return [];
  const rows = await db.$queryRawUnsafe<SpanRow[]>(
    `SELECT ${SPAN_COLUMNS} FROM telemetry.spans
     WHERE trace_id = ANY($1::bpchar[]) AND (kind = ${CONSUMER_KIND} OR attributes ? 'app.dlq.id')`,
    traceIds,
  );
  return rows.map(toStoredSpan);
}

const REPLAY_OPERATION = "replay";

/**
 * Everything {@link buildDeadLetterEntries} needs for the dead letters `ids` (a page), or for
 * those a trace holds or replays (`traceId`), wherever their other spans are.
 */
export async function loadDeadLetterSpans(db: Db, options: { ids: readonly string[] } | { traceId: string }): Promise<StoredSpan[]> {
  const all = "ids" in options ? await loadMarkedSpansOf(db, options.ids) : await loadTraceMarkedSpans(db, options.traceId);
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
