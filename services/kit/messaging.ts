import { trace, type Attributes } from "@opentelemetry/api";
import type { Job, Worker } from "bullmq";
import {
  Attr,
  EventEnvelopeSchema,
  MessagingPattern,
  MessagingRole,
  subscriberQueue,
  type EventEnvelope,
  type Topic,
} from "../contracts/index.ts";
import type { RawStatements, TransactionalDb } from "./db.ts";
import { spanMetadata, startProducerSpan, type JobSender } from "./job-sender.ts";
import { createWorker, parseJobPayload, type QueueConnection } from "./queue.ts";
import { recordSpanError } from "./trpc.ts";
import { applyGuardedEffect, type Statement } from "./guarded-effect.ts";
import type { PgDb } from "./pg-tx.ts";

export { createJobSender, type JobSender } from "./job-sender.ts";

/** The schemas that hold a `processed_messages` table (every consumer of events). */
export type ConsumerSchemaName = "orders" | "inventory" | "payment" | "shipping" | "notification" | "analytics";

/** What a subscriber's processor reports back (BullMQ stores it as the job's return value). */
export type SubscribeResult = { handled: boolean; duplicate: boolean };

/** What every subscription names: the topic, the subscriber, where its ledger lives. */
type SubscriptionBase = {
  topic: Topic;
  /** The subscribing service (`Subscriptions[topic]` lists it); its queue is `<topic>.<subscriber>`. */
  subscriber: string;
  connection: QueueConnection;
  /** The subscriber's own schema, where `processed_messages` lives. */
  schema: ConsumerSchemaName;
  /** Events this subscriber takes no part in are acknowledged without touching the database. */
  accepts?: (event: EventEnvelope) => boolean;
  log?: (message: string) => void;
};

export type SubscribeOptions<TTx extends RawStatements> = SubscriptionBase & {
  /** The subscriber's own client (services/<name>/db.ts). */
  db: TransactionalDb<TTx>;
  /**
   * The effect of one event, inside the transaction that also records the message as processed.
   * Business outcomes (declined, out of stock) are events it enqueues, never thrown errors;
   * throw only for transient trouble (it retries with backoff).
   */
  handle: (event: EventEnvelope, tx: TTx) => Promise<void>;
};

export type SubscribeEffectOptions = SubscriptionBase & {
  /** A `pg` pool of the subscriber's own database (pg-tx.ts), with a statement timeout. */
  db: PgDb;
  /**
   * The effect of one event as ONE statement that reads `"first"` (guarded-effect.ts), or null
   * when the event asks for none. It runs with the ledger insert, in the same statement.
   */
  effect: (event: EventEnvelope) => Statement | null;
};

/**
 * Prisma's defaults (2 s to get a connection, 5 s per transaction) fail handlers under a burst
 * on a busy machine, and every such failure is a retry that adds load; these leave room.
 */
const HANDLER_TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/** The statement timeout a {@link subscribeEffect} pool should have: a handler transaction's. */
export const HANDLER_STATEMENT_TIMEOUT_MS = HANDLER_TX_OPTIONS.timeout;

/** Records (consumer, messageId); false when it was already recorded (a redelivery). */
async function markProcessed(tx: RawStatements, schema: ConsumerSchemaName, consumer: string, messageId: string): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    `INSERT INTO "${schema}"."processed_messages" ("consumer", "message_id") VALUES ($1, $2::uuid)
     ON CONFLICT DO NOTHING`,
    consumer,
    messageId,
  );
  return inserted > 0;
}

/** The attributes every event handler's span carries. */
export function eventAttributes(event: EventEnvelope): Attributes {
  return {
    [Attr.ORDER_ID]: event.orderId,
    [Attr.ORDER_STYLE]: event.style,
    [Attr.EVENT_NAME]: event.name,
    [Attr.MESSAGING_MESSAGE_ID]: event.messageId,
  };
}

/**
 * Subscribes to a topic (publish-subscribe): a worker pool on the subscriber's own queue. Each
 * event is validated (invalid -> UnrecoverableError, no retry), then handled in ONE transaction
 * that also inserts (consumer, messageId) into `<schema>.processed_messages`: a redelivered
 * message finds its row and is skipped (`app.idempotency.duplicate = true` on the span). A
 * concurrent duplicate waits on the row's unique key and is skipped once the first commits.
 */
export function subscribe<TTx extends RawStatements>(options: SubscribeOptions<TTx>): Worker {
  return startSubscriber(options, (event, queue) =>
    options.db.$transaction(async (tx) => {
      if (!(await markProcessed(tx, options.schema, queue, event.messageId))) return false;
      await options.handle(event, tx);
      return true;
    }, HANDLER_TX_OPTIONS),
  );
}

/**
 * Like {@link subscribe}, for a subscriber whose effect is one SQL statement: the ledger insert
 * and the effect run as ONE statement (guarded-effect.ts), so a redelivery is skipped exactly as
 * with a transaction, at a quarter of the round trips and one span instead of two.
 */
export function subscribeEffect(options: SubscribeEffectOptions): Worker {
  return startSubscriber(options, (event, queue) => applyGuardedEffect(options.db, options.schema, queue, event.messageId, options.effect(event)));
}

/** The worker both kinds of subscriber share; `applyOnce` answers whether this delivery was the first. */
function startSubscriber(options: SubscriptionBase, applyOnce: (event: EventEnvelope, queue: string) => Promise<boolean>): Worker {
  const queue = subscriberQueue(options.topic, options.subscriber);
  const worker = createWorker(queue, options.connection, MessagingPattern.PUBLISH_SUBSCRIBE, async (job: Job): Promise<SubscribeResult> => {
    const event = parseJobPayload(EventEnvelopeSchema, job);
    const span = trace.getActiveSpan();
    span?.setAttributes({ ...eventAttributes(event), [Attr.MESSAGING_SUBSCRIPTION_NAME]: queue });
    if (options.accepts && !options.accepts(event)) return { handled: false, duplicate: false };
    const isFirst = await applyOnce(event, queue);
    span?.setAttribute(Attr.IDEMPOTENT_DUPLICATE, !isFirst);
    return { handled: true, duplicate: !isFirst };
  });
  const log = options.log ?? ((message: string) => console.error(message));
  worker.on("failed", (job, error) => log(`${queue}: job ${job?.id} (${job?.name}) failed: ${error.message}`));
  worker.on("error", (error) => log(`${queue}: worker error: ${error.message}`));
  return worker;
}

/**
 * A point-to-point worker pool on a command/request queue: each message goes to ONE worker
 * (`app.messaging.pattern = point-to-point` on its `process <queue>` span). The processor
 * validates its payload with `parseJobPayload` and may add attributes to the active span.
 */
export function createCommandWorker<T>(
  queue: string,
  connection: QueueConnection,
  processor: (job: Job<T>) => Promise<unknown>,
  log: (message: string) => void = (message) => console.error(message),
): Worker<T> {
  const worker = createWorker<T>(queue, connection, MessagingPattern.POINT_TO_POINT, processor);
  worker.on("failed", (job, error) => log(`${queue}: job ${job?.id} (${job?.name}) failed: ${error.message}`));
  worker.on("error", (error) => log(`${queue}: worker error: ${error.message}`));
  return worker;
}

export type SendCommandOptions = {
  /** Unique per message; also the BullMQ job id (a re-send of the same id is dropped). */
  messageId: string;
  /** Extra span attributes (order id, request/reply role, correlation id, ...). */
  attributes?: Attributes;
};

/**
 * Sends one point-to-point message (a command, a request or a reply) to `queue` as job `name`,
 * inside a `send <queue>` PRODUCER span that the consumer's `process` span will be a child of.
 */
export async function sendCommand(sender: JobSender, queue: string, name: string, payload: unknown, options: SendCommandOptions): Promise<void> {
  const span = startProducerSpan({
    destination: queue,
    pattern: MessagingPattern.POINT_TO_POINT,
    messageId: options.messageId,
    eventName: name,
    attributes: options.attributes,
  });
  try {
    await sender.send([{ queue, name, data: payload, jobId: options.messageId, metadata: spanMetadata(span) }]);
  } catch (error) {
    recordSpanError(span, error, "UNAVAILABLE");
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The attributes of one side of an async request/reply: `conversation_id` pairs a request with
 * its reply; the request names the queue its reply must go to.
 */
export function requestReplyAttributes(role: (typeof MessagingRole)[keyof typeof MessagingRole], correlationId: string, replyTo?: string): Attributes {
  return {
    [Attr.MESSAGING_ROLE]: role,
    [Attr.MESSAGING_CONVERSATION_ID]: correlationId,
    ...(replyTo ? { [Attr.MESSAGING_REPLY_TO]: replyTo } : {}),
  };
}
