import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import { Queue, type Job } from "bullmq";
import {
  AppError,
  Attr,
  CreditCheckReplySchema,
  MessagingRole,
  Queues,
  type CreditCheckRequest,
  type OrderStyle,
} from "../../contracts/index.ts";
import { createCommandWorker, createJobSender, requestReplyAttributes, sendCommand } from "../../kit/messaging.ts";
import { parseJobPayload, type QueueConnection } from "../../kit/queue.ts";
import type { FlowOrder } from "../domain/order-data.ts";

/** The job name of a credit-check request on `credit-check-requests`. */
export const CREDIT_CHECK_REQUEST_JOB = "CreditCheckRequest";
/** Timed-out correlation ids remembered, so a late reply is told apart from a stray one. */
const MAX_REMEMBERED_TIMEOUTS = 10_000;

export type CreditDecision = { approved: boolean; reason: string | null };

export type CreditChecker = {
  /** This instance's reply queue: `credit-check-replies.order.<instanceId>`. */
  replyQueue: string;
  /**
   * Asks payment's credit check over the request queue and waits for the reply with the same
   * correlation id. Throws AppError TIMEOUT when no reply came in time (the caller decides what a
   * timeout means for its flow), UNAVAILABLE when the request could not be sent.
   */
  check(order: FlowOrder): Promise<CreditDecision>;
  close(): Promise<void>;
};

type Pending = { resolve: (decision: CreditDecision) => void; reject: (error: AppError) => void; timer: NodeJS.Timeout; orderId: string; style: OrderStyle };

/** The reply queue of one order-service instance (the responder answers on the request's replyTo). */
export function replyQueueOf(instanceId: string): string {
  return `${Queues.CREDIT_CHECK_REPLIES}.${instanceId}`;
}

async function removeQueue(name: string, connection: QueueConnection): Promise<void> {
  const queue = new Queue(name, { connection: { url: connection.redisUrl }, prefix: connection.prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

/**
 * Async request/reply, requester side. Requests go point-to-point to payment's worker pool; each
 * names this instance's own reply queue, so with several order instances a reply reaches the one
 * whose caller waits. Waiting callers live in an in-process map keyed by correlation id (a
 * promise and a timer each); the reply worker settles them. A reply whose caller gave up (timed
 * out, or asked before a restart) is logged and recorded as an event on its `process` span.
 */
export function startCreditChecker(options: {
  connection: QueueConnection;
  instanceId: string;
  timeoutMs: number;
  /** Delete the reply queue on close (when the instance id was generated for this process). */
  removeQueueOnClose: boolean;
  log: (message: string) => void;
}): CreditChecker {
  const replyQueue = replyQueueOf(options.instanceId);
  const sender = createJobSender(options.connection);
  const pending = new Map<string, Pending>();
  const timedOut = new Map<string, number>();
  const rememberTimeout = (correlationId: string) => {
    timedOut.set(correlationId, Date.now());
    if (timedOut.size > MAX_REMEMBERED_TIMEOUTS) timedOut.delete(timedOut.keys().next().value as string);
  };

  const onReply = async (job: Job): Promise<{ matched: boolean }> => {
    const reply = parseJobPayload(CreditCheckReplySchema, job);
    const waiting = pending.get(reply.correlationId);
    const span = trace.getActiveSpan();
    span?.setAttributes({
      ...requestReplyAttributes(MessagingRole.REPLY, reply.correlationId),
      [Attr.ORDER_ID]: reply.orderId,
      ...(waiting ? { [Attr.ORDER_STYLE]: waiting.style } : {}),
    });
    if (!waiting) {
      const late = timedOut.has(reply.correlationId);
      const what = late ? "late reply: its request had timed out" : "reply for a request this instance is not waiting for";
      options.log(`credit check ${reply.correlationId} (order ${reply.orderId}): ${what}; dropped`);
      span?.addEvent(late ? "credit_check.late_reply" : "credit_check.unmatched_reply", {
        [Attr.MESSAGING_CONVERSATION_ID]: reply.correlationId,
        [Attr.ORDER_ID]: reply.orderId,
      });
      return { matched: false };
    }
    pending.delete(reply.correlationId);
    clearTimeout(waiting.timer);
    waiting.resolve({ approved: reply.approved, reason: reply.reason });
    return { matched: true };
  };
  const worker = createCommandWorker(replyQueue, options.connection, onReply, options.log);

  return {
    replyQueue,
    async check(order) {
      const correlationId = randomUUID();
      const request: CreditCheckRequest = {
        messageId: randomUUID(),
        correlationId,
        replyTo: replyQueue,
        orderId: order.id,
        customerId: order.customerId,
        amountCents: order.amountCents,
        requestedAt: new Date().toISOString(),
      };
      const answer = new Promise<CreditDecision>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(correlationId);
          rememberTimeout(correlationId);
          reject(new AppError("TIMEOUT", `credit check for order ${order.id} got no reply within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
        pending.set(correlationId, { resolve, reject, timer, orderId: order.id, style: order.style });
      });
      // Sending can outlast the timeout (Redis down: BullMQ waits for it to come back); the
      // timeout then rejects before anyone awaits `answer`, and an unhandled rejection would
      // kill the process. Marked handled here; the caller still gets the rejection below.
      answer.catch(() => undefined);
      try {
        await sendCommand(sender, Queues.CREDIT_CHECK_REQUESTS, CREDIT_CHECK_REQUEST_JOB, request, {
          messageId: request.messageId,
          attributes: {
            ...requestReplyAttributes(MessagingRole.REQUEST, correlationId, replyQueue),
            [Attr.ORDER_ID]: order.id,
            [Attr.ORDER_STYLE]: order.style,
          },
        });
      } catch (error) {
        clearTimeout(pending.get(correlationId)?.timer);
        pending.delete(correlationId);
        throw new AppError("UNAVAILABLE", `credit check request for order ${order.id} could not be sent`, { cause: error });
      }
      return answer;
    },
    async close() {
      await worker.close();
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        pending.delete(id);
        waiting.reject(new AppError("UNAVAILABLE", `credit check for order ${waiting.orderId} abandoned: the order service is stopping`));
      }
      await sender.close();
      // A random instance id is never used again: remove its queue rather than leave it behind.
      if (options.removeQueueOnClose) await removeQueue(replyQueue, options.connection);
    },
  };
}
