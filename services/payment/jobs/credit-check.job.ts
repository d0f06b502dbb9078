import { createHash } from "node:crypto";
import { trace } from "@opentelemetry/api";
import type { Job } from "bullmq";
import {
  Attr,
  CreditCheckRequestSchema,
  MessagingRole,
  type CreditCheckReply,
} from "../../contracts/index.ts";
import { requestReplyAttributes, sendCommand, type JobSender } from "../../kit/messaging.ts";
import { parseJobPayload } from "../../kit/queue.ts";
import { assessCredit } from "../domain/credit.ts";

/** The job name of a credit-check reply. */
export const CREDIT_CHECK_REPLY_JOB = "CreditCheckReply";

/**
 * The reply's message id, derived from the request's (a UUID-shaped SHA-1 of it): a redelivered
 * request produces the same reply id, which BullMQ drops as a duplicate job.
 */
export function replyMessageId(requestMessageId: string): string {
  const hex = createHash("sha1").update(`credit-check-reply:${requestMessageId}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Point-to-point responder of the async request/reply credit check: one worker of payment's pool
 * takes each request, decides with pure rules, and answers on the request's `replyTo` queue with
 * the same correlation id. The request's `process` span carries role=request, the reply's `send`
 * span role=reply, both with the conversation id, so views can pair them.
 */
export function createCreditCheckProcessor(sender: JobSender) {
  return async (job: Job): Promise<CreditCheckReply> => {
    const request = parseJobPayload(CreditCheckRequestSchema, job);
    trace.getActiveSpan()?.setAttributes({
      ...requestReplyAttributes(MessagingRole.REQUEST, request.correlationId, request.replyTo),
      [Attr.ORDER_ID]: request.orderId,
      [Attr.CUSTOMER_ID]: request.customerId,
      [Attr.MESSAGING_MESSAGE_ID]: request.messageId,
      ...(request.style ? { [Attr.ORDER_STYLE]: request.style } : {}),
    });
    const decision = assessCredit(request.customerId, request.amountCents);
    const reply: CreditCheckReply = {
      messageId: replyMessageId(request.messageId),
      correlationId: request.correlationId,
      orderId: request.orderId,
      ...decision,
    };
    await sendCommand(sender, request.replyTo, CREDIT_CHECK_REPLY_JOB, reply, {
      messageId: reply.messageId,
      attributes: {
        ...requestReplyAttributes(MessagingRole.REPLY, request.correlationId),
        [Attr.ORDER_ID]: request.orderId,
        ...(request.style ? { [Attr.ORDER_STYLE]: request.style } : {}),
      },
    });
    return reply;
  };
}
