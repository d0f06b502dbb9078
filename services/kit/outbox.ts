import { EventEnvelopeSchema, EventTopics, type EventEnvelope } from "../contracts/index.ts";
import type { RawStatements } from "./db.ts";
import { activeTraceHeaders } from "./job-sender.ts";
import { outboxChannel, outboxTable, type OutboxSchemaName } from "./outbox-schema.ts";
import { hasLocalRelay, signalLocalRelay } from "./outbox-signal.ts";
import type { PgDb } from "./pg-tx.ts";
import { statementSummary } from "./pg-tx.ts";
import { composedTextCache, statementText, type Statement } from "./statement.ts";

// The relay that publishes the rows is in outbox-relay.ts (`startOutboxRelay`), what it sends
// per row in outbox-publish.ts.
export type { OutboxSchemaName } from "./outbox-schema.ts";

/**
 * Writes `event` to `<schema>.outbox` inside the caller's transaction (the transactional outbox:
 * the state change and the event it announces commit or roll back together). The row keeps the
 * W3C trace context of the active span, so the relay's `send` span joins the order's trace.
 * The relay is woken without polling: in-process when this process runs one (it then watches
 * closely for the commit, see outbox-relay.ts), otherwise by a NOTIFY in the same statement,
 * which PostgreSQL delivers only at commit (never for a rolled-back transaction).
 */
export async function enqueueEvent(tx: RawStatements, schema: OutboxSchemaName, event: EventEnvelope): Promise<void> {
  const values = outboxValues(event);
  const insert = `INSERT INTO ${outboxTable(schema)} (${OUTBOX_COLUMNS})
     VALUES ($1::uuid, $2, $3, $4::jsonb, $5, $6) RETURNING "id"`;
  if (signalLocalRelay(schema)) {
    await tx.$executeRawUnsafe(insert, ...values);
    return;
  }
  await tx.$executeRawUnsafe(`WITH "row" AS (${insert}) SELECT pg_notify($7, '') FROM "row"`, ...values, outboxChannel(schema));
}

const OUTBOX_COLUMNS = `"id", "topic", "event_name", "payload", "traceparent", "tracestate"`;

/** An outbox row's values (validated event, the active span's W3C context), in OUTBOX_COLUMNS order. */
function outboxValues(event: EventEnvelope): unknown[] {
  const valid = EventEnvelopeSchema.parse(event);
  const { traceparent, tracestate } = activeTraceHeaders();
  return [valid.messageId, EventTopics[valid.name], valid.name, JSON.stringify(valid), traceparent, tracestate];
}

/** Per schema, the text of a guarded state change with its outbox row, per guard call site. */
const guardedTexts = new Map<OutboxSchemaName, ReturnType<typeof composedTextCache>>();

/**
 * The transactional outbox in ONE statement: `change` (an UPDATE/INSERT ... RETURNING, written as
 * a tagged template) and the outbox row announcing it, inserted only if `change` returned a row.
 * Both commit together, as with {@link enqueueEvent} in a transaction, but in 1 round trip
 * instead of 4 (BEGIN, change, insert, COMMIT) and one span. True when the change happened (and
 * the event was written). The relay is woken after the commit, or by the statement's NOTIFY.
 */
export async function enqueueEventWith(db: Pick<PgDb, "$statement">, schema: OutboxSchemaName, change: Statement, event: EventEnvelope): Promise<boolean> {
  const values = outboxValues(event);
  const local = hasLocalRelay(schema);
  const cached = guardedTexts.get(schema) ?? guardedTexts.set(schema, composedTextCache()).get(schema)!;
  const text = cached(change, () => {
    const changeText = statementText(change);
    if (!/\bRETURNING\b/i.test(changeText)) throw new Error(`an outbox change must RETURN the rows it changed: ${changeText.trim().slice(0, 80)}`);
    const n = change.values.length;
    const insert = `INSERT INTO ${outboxTable(schema)} (${OUTBOX_COLUMNS})
     SELECT $${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}::jsonb, $${n + 5}, $${n + 6} FROM "change" LIMIT 1 RETURNING "id"`;
    // NOTIFY only when no relay runs in this process (it is woken in-process instead).
    return (
      `WITH "change" AS (${changeText}),\n"row" AS (${insert}),\n` +
      `"notified" AS (SELECT pg_notify($${n + 7}, '') FROM "row" WHERE $${n + 8}::boolean)\n` +
      `SELECT (SELECT count(*)::int FROM "row") AS "written", (SELECT count(*)::int FROM "notified") AS "notified"`
    );
  });
  const spanName = `${statementSummary(statementText(change))} + outbox`;
  const rows = await db.$statement<{ written: number }>(spanName, text, [...change.values, ...values, outboxChannel(schema), !local]);
  if (local) signalLocalRelay(schema);
  return (rows[0]?.written ?? 0) > 0;
}
