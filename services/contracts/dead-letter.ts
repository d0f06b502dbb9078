import { z } from "zod";

/**
 * The one dead-letter queue. One queue for every source queue (rather than one per queue) because
 * the source is a field of each message, the reconciler and the replay code need one place to
 * look, and the dashboard lists all dead letters together, filtered by source queue.
 */
export const DEAD_LETTER_QUEUE = "dead-letters";

/** Why a message was dead-lettered. */
export const DEAD_LETTER_REASONS = ["exhausted", "unrecoverable", "stalled"] as const;
export const DeadLetterReasonSchema = z.enum(DEAD_LETTER_REASONS);
export type DeadLetterReason = z.infer<typeof DeadLetterReasonSchema>;

/** Who moved a message to the DLQ (`app.dlq.detected_by`). */
export const DEAD_LETTER_DETECTORS = ["worker", "reconciler"] as const;
export type DeadLetterDetector = (typeof DEAD_LETTER_DETECTORS)[number];

/** Values of `app.link.type` on the links of a replay span. */
export const LinkType = {
  /** To the span of the original message (the last `process` span, or its `send`). */
  DEAD_LETTER_ORIGIN: "dead-letter-origin",
  /** To the `dead-letter <queue>` span that parked the message. */
  DEAD_LETTERING: "dead-lettering",
} as const;

/** A dead-letter id: `<source queue>/<original job id>` (BullMQ job ids cannot contain `:`). */
export const DeadLetterIdSchema = z
  .string()
  .min(3)
  .max(400)
  .regex(/^[A-Za-z0-9._~-]+\/[^\s:]+$/, "a dead-letter id is <source queue>/<job id>");

/** The dead-letter id of job `jobId` of `sourceQueue`: the same job always gets the same id. */
export function deadLetterId(sourceQueue: string, jobId: string): string {
  return `${sourceQueue}/${jobId}`;
}

/** The job id a replay of dead letter `originalJobId` gets: deterministic, so a replay is added once. */
export function replayJobId(originalJobId: string): string {
  return `${originalJobId}~replay`;
}

const TraceIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
const SpanIdSchema = z.string().regex(/^[0-9a-f]{16}$/);

/** What the DLQ stores per message (the data of its job on {@link DEAD_LETTER_QUEUE}). */
export const DeadLetterRecordSchema = z.object({
  id: DeadLetterIdSchema,
  reason: DeadLetterReasonSchema,
  detectedBy: z.enum(DEAD_LETTER_DETECTORS),
  sourceQueue: z.string().min(1),
  jobName: z.string(),
  originalJobId: z.string().min(1),
  attemptsMade: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  error: z.object({ message: z.string(), stack: z.string().nullable(), type: z.string().nullable() }),
  /** The job's data exactly as it was sent (replay sends it again). */
  payload: z.unknown(),
  /** W3C trace context of the message as sent (the original trace), when it had one. */
  traceparent: z.string().nullable(),
  tracestate: z.string().nullable(),
  /** The `dead-letter <queue>` span, which replay links to. */
  deadLetterSpan: z.object({ traceId: TraceIdSchema, spanId: SpanIdSchema }).nullable(),
  deadLetteredAt: z.iso.datetime(),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecordSchema>;

/** Replay request from the dashboard: one or many dead letters. */
export const ReplayDeadLettersInputSchema = z.object({
  ids: z.array(DeadLetterIdSchema).min(1).max(200),
});
export type ReplayDeadLettersInput = z.infer<typeof ReplayDeadLettersInputSchema>;

/**
 * What happened to one id: `replayed` (a new job was added by this request), `already-replayed`
 * (an earlier or concurrent request replayed it), `not-found` (no such dead letter).
 */
export const ReplayOutcomeSchema = z.object({
  id: z.string(),
  status: z.enum(["replayed", "already-replayed", "not-found"]),
  /** The new trace, when this request replayed it. */
  traceId: TraceIdSchema.nullable(),
  jobId: z.string().nullable(),
});
export type ReplayOutcome = z.infer<typeof ReplayOutcomeSchema>;
