import {
  Attr,
  EventEnvelopeSchema,
  MessagingPattern,
  Subscriptions,
  subscriberQueue,
  type EventEnvelope,
  type Topic,
  EventTopics,
} from "../contracts/index.ts";
import type { Tx } from "./db.ts";
import { activeTraceHeaders, contextFromTraceparent, spanMetadata, startProducerSpan, type JobSender, type OutgoingJob } from "./job-sender.ts";
import { signalLocalRelay } from "./outbox-signal.ts";
import { recordSpanError } from "./trpc.ts";

export type { Tx } from "./db.ts";
export { startOutboxRelay, relayOutboxBatch, type OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.ts";

/** The services that publish events; each has an `outbox` table in its own schema. */
export type OutboxSchemaName = "orders" | "inventory" | "payment" | "shipping";

/** `"<schema>"."outbox"`, from a closed set (schema names are never user input). */
export function outboxTable(schema: OutboxSchemaName): string {
  return `"${schema}"."outbox"`;
}

/** The PostgreSQL NOTIFY channel a schema's relay listens on. */
export function outboxChannel(schema: OutboxSchemaName): string {
  return `outbox_${schema}`;
}

/**
 * Writes `event` to `<schema>.outbox` inside the caller's transaction (the transactional outbox:
 * the state change and the event it announces commit or roll back together). The row keeps the
 * W3C trace context of the active span, so the relay's `send` span joins the order's trace.
 * The relay is woken without polling: in-process when this process runs one (it then watches
 * closely for the commit, see outbox-relay.ts), otherwise by a NOTIFY in the same statement,
 * which PostgreSQL delivers only at commit (never for a rolled-back transaction).
 */
export async function enqueueEvent(tx: Tx, schema: OutboxSchemaName, event: EventEnvelope): Promise<void> {
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

/** An unsent outbox row as the relay reads it. */
export type OutboxRow = {
  id: string;
  topic: string;
  event_name: string;
  payload: EventEnvelope;
  traceparent: string | null;
  tracestate: string | null;
};

/** The subscriber queues of a topic (publish-subscribe: one job per subscriber). */
function subscriberQueuesOf(topic: string): string[] {
  const subscribers = Subscriptions[topic as Topic] ?? [];
  return subscribers.map((subscriber) => subscriberQueue(topic as Topic, subscriber));
}

/**
 * Publishes outbox rows: for each row one `send <topic>` PRODUCER span, a child of the context the
 * row was written in, and one job per subscriber queue carrying that span's context (so each
 * subscriber's `process` span is its child). Job id = message id: a re-publish after a crash is
 * dropped by BullMQ while the first job still exists, and by the consumer's processed_messages
 * after that.
 */
export async function publishOutboxRows(sender: JobSender, rows: readonly OutboxRow[]): Promise<void> {
  const spans = rows.map((row) => {
    const parent = contextFromTraceparent(row.traceparent, row.tracestate);
    const span = startProducerSpan({
      destination: row.topic,
      pattern: MessagingPattern.PUBLISH_SUBSCRIBE,
      messageId: row.id,
      eventName: row.event_name,
      parent,
      attributes: {
        [Attr.OUTBOX_ID]: row.id,
        [Attr.ORDER_ID]: row.payload.orderId,
        [Attr.ORDER_STYLE]: row.payload.style,
      },
    });
    return { row, span, metadata: spanMetadata(span, parent) };
  });
  const jobs: OutgoingJob[] = spans.flatMap(({ row, metadata }) =>
    subscriberQueuesOf(row.topic).map((queue) => ({ queue, name: row.event_name, data: row.payload, jobId: row.id, metadata })),
  );
  try {
    await sender.send(jobs);
  } catch (error) {
    for (const { span } of spans) recordSpanError(span, error, "UNAVAILABLE");
    throw error;
  } finally {
    for (const { span } of spans) span.end();
  }
}
