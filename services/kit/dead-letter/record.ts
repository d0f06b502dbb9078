import { UnrecoverableError, type Job } from "bullmq";
import {
  deadLetterId,
  type DeadLetterDetector,
  type DeadLetterReason,
  type DeadLetterRecord,
} from "../../contracts/index.ts";
import { truncateText } from "../../contracts/text.ts";

/** BullMQ's failedReason for a job that stalled more than `maxStalledCount` times. */
const STALLED_REASON = "job stalled more than allowable limit";
/** BullMQ's failedReason when a job was started more often than `maxStartedAttempts`. */
const STARTED_TOO_OFTEN = "job started more than allowable limit";

/** The payload put on the dead-letter span is capped: spans are stored in bulk. */
export const MAX_SPAN_PAYLOAD_CHARS = 8_192;
/** Stacks on the span are capped too (the DLQ job keeps the whole one). */
export const MAX_SPAN_STACK_CHARS = 4_096;

/** Attempts the job was allowed (BullMQ `attempts`, default 1). */
export function maxAttemptsOf(job: Job): number {
  return Math.max(1, job.opts.attempts ?? 1);
}

/** The last stack BullMQ stored for the job (it keeps one per failed attempt). */
function lastStack(job: Job, error: Error | null): string | null {
  if (error?.stack) return error.stack;
  const stacks = job.stacktrace ?? [];
  return stacks.length > 0 ? (stacks[stacks.length - 1] ?? null) : null;
}

/**
 * Why a job that failed for good failed: a stall limit, an UnrecoverableError (invalid payload,
 * business rejection, poison), or its attempts ran out. For a job read back from Redis (no Error
 * object) the stored stack's first line names the error class.
 */
export function classifyFailure(job: Job, error: Error | null): DeadLetterReason {
  const message = error?.message ?? job.failedReason ?? "";
  if (message === STALLED_REASON || message === STARTED_TOO_OFTEN) return "stalled";
  if (error instanceof UnrecoverableError || error?.name === "UnrecoverableError") return "unrecoverable";
  if (!error && (lastStack(job, null) ?? "").startsWith("UnrecoverableError")) return "unrecoverable";
  return job.attemptsMade >= maxAttemptsOf(job) ? "exhausted" : "unrecoverable";
}

/** The W3C headers bullmq-otel stored in the job (`opts.telemetry.metadata`, JSON). */
export function traceHeadersOf(job: Job): { traceparent: string | null; tracestate: string | null } {
  const metadata = job.opts.telemetry?.metadata;
  if (!metadata) return { traceparent: null, tracestate: null };
  try {
    const carrier = JSON.parse(metadata) as Record<string, unknown>;
    const pick = (key: string) => (typeof carrier[key] === "string" ? (carrier[key] as string) : null);
    return { traceparent: pick("traceparent"), tracestate: pick("tracestate") };
  } catch {
    // Metadata written by something else than bullmq-otel: the message simply has no trace.
    return { traceparent: null, tracestate: null };
  }
}

/** `payload` as JSON for a span attribute, cut at `max` characters. */
export function capJson(payload: unknown, max = MAX_SPAN_PAYLOAD_CHARS): { text: string; isTruncated: boolean } {
  const text = JSON.stringify(payload) ?? "null";
  return text.length <= max ? { text, isTruncated: false } : { text: truncateText(text, max), isTruncated: true };
}

/** What the DLQ stores for `job`, which failed for good with `error` (null: read from Redis). */
export function buildDeadLetterRecord(
  job: Job,
  error: Error | null,
  detectedBy: DeadLetterDetector,
  deadLetterSpan: DeadLetterRecord["deadLetterSpan"],
  now = new Date(),
): DeadLetterRecord {
  const stack = lastStack(job, error);
  return {
    id: deadLetterId(job.queueName, String(job.id)),
    reason: classifyFailure(job, error),
    detectedBy,
    sourceQueue: job.queueName,
    jobName: job.name,
    originalJobId: String(job.id),
    attemptsMade: job.attemptsMade,
    maxAttempts: maxAttemptsOf(job),
    error: {
      message: error?.message ?? job.failedReason ?? "(no error message)",
      stack,
      type: error?.name ?? stack?.match(/^([A-Za-z_$][\w$]*)(?::|$)/)?.[1] ?? null,
    },
    payload: job.data,
    ...traceHeadersOf(job),
    deadLetterSpan,
    deadLetteredAt: now.toISOString(),
  };
}
