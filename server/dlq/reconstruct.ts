/**
 * Rebuilds the dead-letter list from stored spans only: each `dead-letter <queue>` span is one
 * message (first span per `app.dlq.id` wins: a racing reconciler may write a second), a
 * `replay <queue>` span with the same id says it was replayed, and the spans of the replay's
 * new trace say how that ended.
 */
import { Attr, DEAD_LETTER_DETECTORS, DEAD_LETTER_REASONS, deadLetterId, type DeadLetterDetector, type DeadLetterReason } from "../../services/contracts/index.ts";
import type { AttrValue, StoredSpan } from "../store/types.ts";
import type { DeadLetterEntry, ReplayInfo } from "./types.ts";

const DEAD_LETTER_OPERATION = "dead-letter";
const REPLAY_OPERATION = "replay";
const REPLAY_SUFFIX = "~replay";

const str = (value: AttrValue | undefined): string | null => (typeof value === "string" ? value : null);
const num = (value: AttrValue | undefined): number | null => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);
const byStart = (a: StoredSpan, b: StoredSpan) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano) ? 1 : 0);

function operationOf(span: StoredSpan): string | null {
  return str(span.attributes[Attr.MESSAGING_OPERATION_NAME]);
}

/** True for a `dead-letter <queue>` span written by the kit's dead-letterer. */
export function isDeadLetterSpan(span: StoredSpan): boolean {
  return operationOf(span) === DEAD_LETTER_OPERATION && str(span.attributes[Attr.DLQ_ID]) !== null;
}

/** True for the root span of a replay (`replay <queue>`). */
export function isReplaySpan(span: StoredSpan): boolean {
  return operationOf(span) === REPLAY_OPERATION && str(span.attributes[Attr.DLQ_ID]) !== null;
}

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

/** The dead letter a failed replay came from: its job id is the original's plus `~replay`. */
function replayOf(sourceQueue: string, jobId: string): string | null {
  return jobId.endsWith(REPLAY_SUFFIX) ? deadLetterId(sourceQueue, jobId.slice(0, -REPLAY_SUFFIX.length)) : null;
}

function toEntry(span: StoredSpan): DeadLetterEntry {
  const a = span.attributes;
  const sourceQueue = str(a[Attr.DLQ_SOURCE_QUEUE]) ?? "";
  const originalJobId = str(a[Attr.DLQ_ORIGINAL_JOB_ID]) ?? "";
  return {
    id: str(a[Attr.DLQ_ID])!,
    sourceQueue,
    jobName: str(a[Attr.DLQ_JOB_NAME]) ?? "",
    originalJobId,
    reason: oneOf<DeadLetterReason>(DEAD_LETTER_REASONS, str(a[Attr.DLQ_REASON]), "exhausted"),
    detectedBy: oneOf<DeadLetterDetector>(DEAD_LETTER_DETECTORS, str(a[Attr.DLQ_DETECTED_BY]), "worker"),
    attempts: num(a[Attr.DLQ_ATTEMPTS]) ?? 0,
    maxAttempts: num(a[Attr.JOB_MAX_ATTEMPTS]),
    errorMessage: str(a[Attr.DLQ_ERROR_MESSAGE]) ?? span.status.message ?? "",
    errorType: str(a[Attr.ERROR_TYPE]),
    errorStack: str(a[Attr.DLQ_ERROR_STACK]) || null,
    payload: str(a[Attr.DLQ_PAYLOAD]) ?? "null",
    payloadTruncated: a[Attr.DLQ_PAYLOAD_TRUNCATED] === true,
    deadLetteredAtUnixNano: span.startTimeUnixNano,
    serviceName: span.serviceName,
    traceId: span.traceId,
    spanId: span.spanId,
    replayOf: replayOf(sourceQueue, originalJobId),
    replay: null,
  };
}

/** The BullMQ job a consumer span processed (subscribers put the event's id in messaging.message.id). */
function jobIdOf(span: StoredSpan): string | null {
  return str(span.attributes[Attr.BULLMQ_JOB_ID]) ?? str(span.attributes[Attr.MESSAGING_MESSAGE_ID]);
}

/** How the replay started by `replay` ended, judged from the spans of its own trace. */
export function replayOutcome(replay: StoredSpan, traceSpans: readonly StoredSpan[]): ReplayInfo {
  const queue = str(replay.attributes[Attr.DLQ_SOURCE_QUEUE]);
  const jobId = str(replay.attributes[Attr.DLQ_REPLAY_JOB_ID]) ?? "";
  const mine = traceSpans.filter((s) => s.traceId === replay.traceId);
  const attempts = mine
    .filter((s) => s.kind === "CONSUMER" && str(s.attributes[Attr.MESSAGING_DESTINATION_NAME]) === queue && jobIdOf(s) === jobId)
    .sort(byStart);
  const again = mine.find((s) => isDeadLetterSpan(s) && str(s.attributes[Attr.DLQ_ORIGINAL_JOB_ID]) === jobId);
  const last = attempts[attempts.length - 1];
  const status: ReplayInfo["status"] = again
    ? "failed-again"
    : attempts.some((s) => s.status.code !== "ERROR")
      ? "processed"
      : last
        ? "retrying"
        : "pending";
  const ended = again ?? attempts.find((s) => s.status.code !== "ERROR") ?? last;
  return {
    status,
    replayedAtUnixNano: replay.startTimeUnixNano,
    traceId: replay.traceId,
    spanId: replay.spanId,
    jobId,
    serviceName: replay.serviceName,
    attempts: attempts.length,
    endedAtUnixNano: ended?.endTimeUnixNano ?? null,
    deadLetterId: again ? str(again.attributes[Attr.DLQ_ID]) : null,
  };
}

/**
 * Dead letters, newest first, from: dead-letter spans, replay spans, and the spans of the replay
 * traces (any other span is ignored, so callers may pass whole traces).
 */
export function buildDeadLetterEntries(spans: readonly StoredSpan[]): DeadLetterEntry[] {
  const sorted = [...spans].sort(byStart);
  const entries = new Map<string, DeadLetterEntry>();
  for (const span of sorted) {
    if (!isDeadLetterSpan(span)) continue;
    const entry = toEntry(span);
    if (!entries.has(entry.id)) entries.set(entry.id, entry);
  }
  for (const span of sorted) {
    if (!isReplaySpan(span)) continue;
    const entry = entries.get(str(span.attributes[Attr.DLQ_ID])!);
    if (entry && !entry.replay) entry.replay = replayOutcome(span, sorted);
  }
  return [...entries.values()].sort((a, b) => (BigInt(a.deadLetteredAtUnixNano) > BigInt(b.deadLetteredAtUnixNano) ? -1 : 1));
}
