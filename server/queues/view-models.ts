/**
 * The Queues page's view models: pure mappings of what BullMQ answers (job counts, jobs) to the
 * rows the page shows. No Redis here; server/queues/queue-admin.ts fetches, these shape.
 */
import { z } from "zod";
import { Attr } from "../../services/contracts/index.ts";

/** The job states the page lists, in BullMQ's own names (its `JobType`s). */
export const QUEUE_JOB_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "paused", "completed", "failed"] as const;
export const QueueJobStateSchema = z.enum(QUEUE_JOB_STATES);
export type QueueJobState = z.infer<typeof QueueJobStateSchema>;

/** States the Clean action may empty (BullMQ's `Queue.clean` types; never `active`). */
export const CLEANABLE_STATES = ["waiting", "delayed", "prioritized", "paused", "completed", "failed"] as const;
export const CleanableStateSchema = z.enum(CLEANABLE_STATES);
export type CleanableState = z.infer<typeof CleanableStateSchema>;

export const QueueCountsSchema = z.record(QueueJobStateSchema, z.number().int().min(0));
export type QueueCounts = z.infer<typeof QueueCountsSchema>;

export const QueueSummarySchema = z.object({
  name: z.string(),
  counts: QueueCountsSchema,
  /** Jobs finished (completed or failed) in the last minute, from the newest ones sampled. */
  throughputPerMin: z.number().int().min(0),
  /** True when every sampled job finished within the minute: the real figure may be higher. */
  isThroughputCapped: z.boolean(),
  isPaused: z.boolean(),
});
export type QueueSummary = z.infer<typeof QueueSummarySchema>;

export const JobRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: QueueJobStateSchema,
  /** The payload as pretty JSON text. */
  payload: z.string(),
  attemptsMade: z.number().int(),
  maxAttempts: z.number().int(),
  createdAt: z.number().nullable(),
  processedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** When a delayed job is due. */
  dueAt: z.number().nullable(),
  failedReason: z.string().nullable(),
  stacktrace: z.array(z.string()),
  /** The trace the message was sent in (from bullmq-otel's context in the job), for the link. */
  traceId: z.string().nullable(),
  returnValue: z.string().nullable(),
});
export type JobRow = z.infer<typeof JobRowSchema>;

/** The parts of a BullMQ `Job` the mapping reads (a `Job` fits; tests pass plain objects). */
export type JobLike = {
  id?: string | undefined;
  name: string;
  data: unknown;
  opts: { attempts?: number; delay?: number; telemetry?: { metadata?: string } };
  attemptsMade: number;
  timestamp: number;
  processedOn?: number | undefined;
  finishedOn?: number | undefined;
  delay?: number;
  failedReason?: string;
  stacktrace?: string[] | null;
  returnvalue?: unknown;
};

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ZERO_TRACE = "0".repeat(32);

/**
 * The trace id of the message: bullmq-otel puts the producer's W3C context into the job's options,
 * `opts.telemetry.metadata` (a JSON carrier with `traceparent`); replays and the kit's sends do the
 * same. Null when absent, unparsable or all zero.
 */
export function traceIdOfJob(job: Pick<JobLike, "opts">): string | null {
  const metadata = job.opts.telemetry?.metadata;
  if (!metadata) return null;
  try {
    const carrier = JSON.parse(metadata) as Record<string, unknown>;
    const match = typeof carrier.traceparent === "string" ? TRACEPARENT.exec(carrier.traceparent) : null;
    return match && match[1] !== ZERO_TRACE ? match[1]! : null;
  } catch {
    return null;
  }
}

/** JSON text of a value, pretty, with a cap so a huge payload cannot swamp the page. */
export function toJsonText(value: unknown, maxChars = 20_000): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? "undefined";
  } catch {
    text = String(value);
  }
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (cut at ${maxChars} characters)` : text;
}

/** One job as a row of the page. */
export function toJobRow(job: JobLike, state: QueueJobState): JobRow {
  const delay = job.delay ?? job.opts.delay ?? 0;
  return {
    id: job.id ?? "",
    name: job.name,
    state,
    payload: toJsonText(job.data),
    attemptsMade: job.attemptsMade,
    maxAttempts: Math.max(1, job.opts.attempts ?? 1),
    createdAt: job.timestamp || null,
    processedAt: job.processedOn ?? null,
    finishedAt: job.finishedOn ?? null,
    dueAt: state === "delayed" && delay > 0 ? job.timestamp + delay : null,
    failedReason: job.failedReason ? job.failedReason : null,
    stacktrace: job.stacktrace ?? [],
    traceId: traceIdOfJob(job),
    returnValue: job.returnvalue === undefined || job.returnvalue === null ? null : toJsonText(job.returnvalue, 2_000),
  };
}

/** BullMQ's counts (it may answer `wait` or omit states) as one count per listed state. */
export function toQueueCounts(raw: Record<string, number | undefined>): QueueCounts {
  const counts = {} as QueueCounts;
  for (const state of QUEUE_JOB_STATES) counts[state] = raw[state] ?? (state === "waiting" ? raw.wait ?? 0 : 0);
  return counts;
}

/** Jobs finished within `windowMs` before `now`, among the newest finished ones sampled. */
export function throughputOf(finishedAt: readonly (number | undefined)[], now: number, sampleSize: number, windowMs = 60_000): { perMin: number; isCapped: boolean } {
  const recent = finishedAt.filter((t) => t !== undefined && t > now - windowMs).length;
  const perMin = Math.round((recent * 60_000) / windowMs);
  return { perMin, isCapped: sampleSize > 0 && recent >= sampleSize };
}

/** The queue name in a BullMQ meta key `<prefix>:<name>:meta`, or null for another key. */
export function queueNameOfMetaKey(key: string, prefix: string): string | null {
  const head = `${prefix}:`;
  if (!key.startsWith(head) || !key.endsWith(":meta")) return null;
  const name = key.slice(head.length, -":meta".length);
  return name.length > 0 ? name : null;
}

/** A page of `items` (1-based), and how many pages there are. */
export function pageOf<T>(items: readonly T[], page: number, pageSize: number): { items: T[]; page: number; pages: number; total: number } {
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const at = Math.min(Math.max(1, page), pages);
  return { items: items.slice((at - 1) * pageSize, at * pageSize), page: at, pages, total: items.length };
}

/** Dead-letter ids whose `discard` span says the DLQ job was removed (the dead-letter page hides them). */
export function discardedIds(spans: readonly { attributes: Record<string, unknown> }[]): Set<string> {
  const ids = new Set<string>();
  for (const span of spans) {
    const id = span.attributes[Attr.DLQ_ID];
    if (span.attributes[Attr.MESSAGING_OPERATION_NAME] === "discard" && span.attributes[Attr.QUEUE_ACTION_OUTCOME] === "done" && typeof id === "string") ids.add(id);
  }
  return ids;
}
