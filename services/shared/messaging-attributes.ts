import type { Attributes } from "@opentelemetry/api";
import { Attr, MESSAGING_SYSTEM_BULLMQ, MessagingOperationType, type DeadLetterRecord, type MessagingPattern } from "../contracts/index.ts";

/** What every message-sending PRODUCER span (`send`, `dead-letter`, `replay`) says about its message. */
export type SendAttributesInput = {
  /** `messaging.operation.name`: `send`, `dead-letter`, `replay`. */
  operationName: string;
  destination: string;
  messageId: string;
  pattern: MessagingPattern;
};

/**
 * The OTel messaging attributes of a span that sends one message over BullMQ. One place, so the
 * services' sends, their dead-lettering and the dashboard's replays read alike in the span store.
 */
export function messagingSendAttributes(input: SendAttributesInput): Attributes {
  return {
    [Attr.MESSAGING_SYSTEM]: MESSAGING_SYSTEM_BULLMQ,
    [Attr.MESSAGING_OPERATION_TYPE]: MessagingOperationType.SEND,
    [Attr.MESSAGING_OPERATION_NAME]: input.operationName,
    [Attr.MESSAGING_DESTINATION_NAME]: input.destination,
    [Attr.MESSAGING_MESSAGE_ID]: input.messageId,
    [Attr.MESSAGING_PATTERN]: input.pattern,
  };
}

/** Which dead letter a `dead-letter` or `replay` span is about (the dashboard's DLQ view reads these). */
export function deadLetterAttributes(record: Pick<DeadLetterRecord, "id" | "reason" | "sourceQueue" | "jobName" | "originalJobId">): Attributes {
  return {
    [Attr.DLQ_ID]: record.id,
    [Attr.DLQ_REASON]: record.reason,
    [Attr.DLQ_SOURCE_QUEUE]: record.sourceQueue,
    [Attr.DLQ_JOB_NAME]: record.jobName,
    [Attr.DLQ_ORIGINAL_JOB_ID]: record.originalJobId,
  };
}
