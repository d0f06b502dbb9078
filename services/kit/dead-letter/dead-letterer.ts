import { SpanKind, SpanStatusCode, trace, type Context, type Link, type Span } from "@opentelemetry/api";
import { Queue, type Job } from "bullmq";
import {
  Attr,
  DEAD_LETTER_QUEUE,
  deadLetterId,
  MessagingPattern,
  type DeadLetterDetector,
  type DeadLetterRecord,
} from "../../contracts/index.ts";
import { deadLetterAttributes, messagingSendAttributes } from "../../shared/messaging-attributes.ts";
import type { QueueConnection } from "../../shared/queue-options.ts";
import { contextFromTraceparent } from "../job-sender.ts";
import { untraced } from "../untraced.ts";
import { buildDeadLetterRecord, capJson, MAX_SPAN_STACK_CHARS, traceHeadersOf } from "./record.ts";
import { truncateText } from "../../contracts/text.ts";

/** How a failed job is being moved and what the dead-letter span should hang from. */
export type DeadLetterOptions = {
  detectedBy: DeadLetterDetector;
  /** Parent of the dead-letter span; default: the message's own trace (from the job's metadata). */
  parent?: Context;
  links?: Link[];
};

/** `moved`: this call dead-lettered the job; `already`: it was in the DLQ (only cleaned up). */
export type DeadLetterResult = { status: "moved" | "already"; id: string; span: Span | null };

/** Moves jobs that failed for good to the DLQ; see {@link createDeadLetterer}. */
export type DeadLetterer = {
  deadLetter(job: Job, error: Error | null, options: DeadLetterOptions): Promise<DeadLetterResult>;
  /** True when the DLQ holds `id`. */
  has(id: string): Promise<boolean>;
  close(): Promise<void>;
};

const tracer = () => trace.getTracer("switchyard-dead-letter");

/** The `dead-letter <source queue>` span: a send to the DLQ, in the message's own trace. */
function startDeadLetterSpan(job: Job, error: Error | null, options: DeadLetterOptions): Span {
  const draft = buildDeadLetterRecord(job, error, options.detectedBy, null);
  const headers = traceHeadersOf(job);
  const parent = options.parent ?? contextFromTraceparent(headers.traceparent, headers.tracestate);
  const payload = capJson(draft.payload);
  const span = tracer().startSpan(
    `dead-letter ${job.queueName}`,
    {
      kind: SpanKind.PRODUCER,
      links: options.links,
      attributes: {
        ...messagingSendAttributes({
          operationName: "dead-letter",
          destination: DEAD_LETTER_QUEUE,
          messageId: draft.id,
          pattern: MessagingPattern.POINT_TO_POINT,
        }),
        ...deadLetterAttributes(draft),
        [Attr.DLQ_ATTEMPTS]: draft.attemptsMade,
        [Attr.JOB_MAX_ATTEMPTS]: draft.maxAttempts,
        [Attr.DLQ_ERROR_MESSAGE]: draft.error.message,
        [Attr.DLQ_ERROR_STACK]: truncateText(draft.error.stack ?? "", MAX_SPAN_STACK_CHARS),
        [Attr.DLQ_PAYLOAD]: payload.text,
        [Attr.DLQ_PAYLOAD_TRUNCATED]: payload.isTruncated,
        [Attr.DLQ_DETECTED_BY]: options.detectedBy,
        ...(draft.traceparent ? { [Attr.DLQ_ORIGINAL_TRACEPARENT]: draft.traceparent } : {}),
        ...(draft.error.type ? { [Attr.ERROR_TYPE]: draft.error.type } : {}),
      },
    },
    parent,
  );
  // The message could not be delivered: the span is an error, whatever the move itself does.
  span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered (${draft.reason}): ${draft.error.message}` });
  return span;
}

/** Removes the source job from BullMQ's failed set once the DLQ holds it (the move's last step). */
async function removeSource(job: Job, span: Span | null): Promise<void> {
  try {
    await job.remove();
  } catch (error) {
    // Locked or already gone: the reconciler sees the DLQ holds it and retries the removal.
    span?.addEvent("source job not removed", { [Attr.DLQ_ERROR_MESSAGE]: (error as Error).message });
  }
}

/**
 * A dead-letterer on `connection`. Moving is idempotent: the DLQ job id is
 * `<source queue>/<job id>`, and a job already in the DLQ is only removed from the failed set
 * (no second span). The move is add-to-DLQ, then remove-from-source: a crash in between leaves a
 * failed job that the reconciler finds already dead-lettered and cleans up.
 */
export function createDeadLetterer(connection: QueueConnection): DeadLetterer {
  const dlq = new Queue<DeadLetterRecord>(DEAD_LETTER_QUEUE, {
    connection: { url: connection.redisUrl },
    prefix: connection.prefix,
  });
  const has = async (id: string) => untraced(async () => (await dlq.getJob(id)) !== undefined);
  return {
    has,
    async deadLetter(job, error, options) {
      const id = deadLetterId(job.queueName, String(job.id));
      if (await has(id)) {
        await untraced(() => removeSource(job, null));
        return { status: "already", id, span: null };
      }
      const span = startDeadLetterSpan(job, error, options);
      try {
        const { traceId, spanId } = span.spanContext();
        const record = buildDeadLetterRecord(job, error, options.detectedBy, { traceId, spanId });
        await untraced(async () => {
          await dlq.add(record.jobName || "message", record, { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false });
          await removeSource(job, span);
        });
        return { status: "moved", id, span };
      } catch (moveError) {
        span.recordException(moveError as Error);
        span.addEvent("dead-lettering failed; the reconciler will retry");
        throw moveError;
      } finally {
        span.end();
      }
    },
    close: () => dlq.close(),
  };
}
