import { Attr, MessagingPattern, subscriberQueue, subscribersOf, Topics, type EventEnvelope, type Topic } from "../contracts/index.ts";
import { contextFromTraceparent, spanMetadata, startProducerSpan, type JobSender, type OutgoingJob } from "./job-sender.ts";
import { recordSpanError } from "./trpc.ts";

/** An unsent outbox row as the relay reads it. */
export type OutboxRow = {
  id: string;
  topic: string;
  event_name: string;
  payload: EventEnvelope;
  traceparent: string | null;
  tracestate: string | null;
};

/**
 * The subscriber queues of a topic that take part in the event's order style (publish-subscribe:
 * one job per subscriber; see `SubscriptionFilters`). An unknown topic has none.
 */
function subscriberQueuesOf(topic: string, event: EventEnvelope): string[] {
  if (!(Object.values(Topics) as string[]).includes(topic)) return [];
  return subscribersOf(topic as Topic, event.style).map((subscriber) => subscriberQueue(topic as Topic, subscriber));
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
    subscriberQueuesOf(row.topic, row.payload).map((queue) => ({ queue, name: row.event_name, data: row.payload, jobId: row.id, metadata })),
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
