import { z } from "zod";
import { DEAD_LETTER_DETECTORS, DeadLetterReasonSchema } from "../../services/contracts/index.ts";
import { NanosSchema } from "../store/types.ts";

const TraceIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
const SpanIdSchema = z.string().regex(/^[0-9a-f]{16}$/);

/**
 * How a replay ended, from the spans of its new trace: `pending` (no attempt seen yet),
 * `retrying` (an attempt failed, more are allowed), `processed`, `failed-again` (dead-lettered
 * again: `deadLetterId` names the new dead letter).
 */
export const REPLAY_STATUSES = ["pending", "retrying", "processed", "failed-again"] as const;
export type ReplayStatus = (typeof REPLAY_STATUSES)[number];

export const ReplayInfoSchema = z.object({
  status: z.enum(REPLAY_STATUSES),
  replayedAtUnixNano: NanosSchema,
  traceId: TraceIdSchema,
  spanId: SpanIdSchema,
  jobId: z.string(),
  /** Who replayed (the service that wrote the replay span, normally `dashboard`). */
  serviceName: z.string(),
  /** Attempts seen in the new trace. */
  attempts: z.number().int(),
  /** When the last attempt (or the new dead-lettering) ended. */
  endedAtUnixNano: NanosSchema.nullable(),
  /** With `failed-again`: the id of the new dead letter. */
  deadLetterId: z.string().nullable(),
});
export type ReplayInfo = z.infer<typeof ReplayInfoSchema>;

/** One dead-lettered message as the dashboard shows it, rebuilt from its dead-letter span. */
export const DeadLetterEntrySchema = z.object({
  id: z.string(),
  sourceQueue: z.string(),
  jobName: z.string(),
  originalJobId: z.string(),
  reason: DeadLetterReasonSchema,
  detectedBy: z.enum(DEAD_LETTER_DETECTORS),
  attempts: z.number().int(),
  maxAttempts: z.number().int().nullable(),
  errorMessage: z.string(),
  errorType: z.string().nullable(),
  errorStack: z.string().nullable(),
  /** The payload as JSON text (capped on the span; `payloadTruncated` says so). */
  payload: z.string(),
  payloadTruncated: z.boolean(),
  deadLetteredAtUnixNano: NanosSchema,
  /** The consumer service whose worker gave up. */
  serviceName: z.string(),
  /** The original trace and the dead-letter span in it. */
  traceId: TraceIdSchema,
  spanId: SpanIdSchema,
  /** When this message is itself a replay that failed again: the dead letter it was replayed from. */
  replayOf: z.string().nullable(),
  replay: ReplayInfoSchema.nullable(),
});
export type DeadLetterEntry = z.infer<typeof DeadLetterEntrySchema>;
