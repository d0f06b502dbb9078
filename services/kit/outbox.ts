import { EventEnvelopeSchema, EventTopics, type EventEnvelope } from "../contracts/index.ts";
import type { RawStatements } from "./db.ts";
import { activeTraceHeaders } from "./job-sender.ts";
import { outboxChannel, outboxTable, type OutboxSchemaName } from "./outbox-schema.ts";
import { signalLocalRelay } from "./outbox-signal.ts";

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
  const valid = EventEnvelopeSchema.parse(event);
  const { traceparent, tracestate } = activeTraceHeaders();
  const insert = `INSERT INTO ${outboxTable(schema)} ("id", "topic", "event_name", "payload", "traceparent", "tracestate")
     VALUES ($1::uuid, $2, $3, $4::jsonb, $5, $6) RETURNING "id"`;
  const values = [valid.messageId, EventTopics[valid.name], valid.name, JSON.stringify(valid), traceparent, tracestate];
  if (signalLocalRelay(schema)) {
    await tx.$executeRawUnsafe(insert, ...values);
    return;
  }
  await tx.$executeRawUnsafe(`WITH "row" AS (${insert}) SELECT pg_notify($7, '') FROM "row"`, ...values, outboxChannel(schema));
}
