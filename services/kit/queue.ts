import { trace } from "@opentelemetry/api";
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { z } from "zod";
import { Attr, type MessagingPattern } from "../contracts/index.ts";
import { applyPoisonFault } from "./dead-letter/poison.ts";
import { attachDeadLettering } from "./dead-letter/worker-hooks.ts";
import { createQueueTelemetry } from "./queue-telemetry.ts";
import { DEFAULT_JOB_OPTIONS, type QueueConnection } from "../shared/queue-options.ts";

export { DEFAULT_JOB_OPTIONS, type QueueConnection } from "../shared/queue-options.ts";

/** A producer for `name`, traced with bullmq-otel (`send <queue>` PRODUCER spans). */
export function createQueue<T>(name: string, connection: QueueConnection, pattern: MessagingPattern): Queue<T> {
  return new Queue<T>(name, {
    connection: { url: connection.redisUrl },
    prefix: connection.prefix,
    telemetry: createQueueTelemetry(name, pattern),
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

/**
 * How a worker runs. Stall detection: a job whose worker died (SIGKILL, OOM) keeps its lock for
 * `lockDurationMs`; the next stalled check (every `stalledIntervalMs`) puts it back in the wait
 * list, and after `maxStalledCount` stalls it fails (and is dead-lettered). BullMQ's defaults are
 * 30 s each; a sandbox where you kill workers on purpose wants to see the redelivery in seconds.
 */
export type WorkerTuning = {
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  /** Move jobs that failed for good to the dead-letter queue (and run its reconciler). */
  deadLetter: boolean;
  reconcileIntervalMs: number;
  /** The reconciler only takes jobs that failed at least this long ago (see reconciler.ts). */
  reconcileGraceMs: number;
};

export const DEFAULT_WORKER_TUNING: WorkerTuning = {
  concurrency: 4,
  lockDurationMs: 10_000,
  stalledIntervalMs: 5_000,
  maxStalledCount: 1,
  deadLetter: true,
  reconcileIntervalMs: 10_000,
  reconcileGraceMs: 10_000,
};

/**
 * A fault injected into every consumer of this process before its processor runs. Default: the
 * chaos panel's poison-message fault (dead-letter/poison.ts). Throwing `UnrecoverableError`
 * dead-letters the message at once; any other error is retried with backoff like a transient one.
 */
export type JobFaultHook = (queueName: string, job: Job) => void | Promise<void>;

let jobFaultHook: JobFaultHook | null = applyPoisonFault;

/** Installs (or with `null` removes) this process's {@link JobFaultHook}. */
export function setJobFaultHook(hook: JobFaultHook | null): void {
  jobFaultHook = hook;
}

/**
 * A consumer for `name`, traced with bullmq-otel (`process <queue>` CONSUMER spans). Each
 * attempt's span gets `app.job.attempt` / `app.job.max_attempts`, a retried one the backoff
 * (`app.job.retry_delay_ms`); a job that fails for good goes to the dead-letter queue.
 */
export function createWorker<T>(
  name: string,
  connection: QueueConnection,
  pattern: MessagingPattern,
  processor: (job: Job<T>) => Promise<unknown>,
  tuning: Partial<WorkerTuning> = {},
): Worker<T> {
  const settings = { ...DEFAULT_WORKER_TUNING, ...tuning };
  const run = async (job: Job<T>): Promise<unknown> => {
    trace.getActiveSpan()?.setAttributes({
      [Attr.JOB_ATTEMPT]: job.attemptsMade + 1,
      [Attr.JOB_MAX_ATTEMPTS]: Math.max(1, job.opts.attempts ?? 1),
    });
    if (jobFaultHook) await jobFaultHook(name, job as Job);
    return processor(job);
  };
  const worker = new Worker<T>(name, run, {
    // Workers block on Redis; ioredis must retry forever rather than fail the blocking command.
    connection: { url: connection.redisUrl, maxRetriesPerRequest: null },
    prefix: connection.prefix,
    telemetry: createQueueTelemetry(name, pattern),
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
  });
  if (settings.deadLetter) {
    attachDeadLettering(worker as Worker, {
      connection,
      reconcileIntervalMs: settings.reconcileIntervalMs,
      reconcileGraceMs: settings.reconcileGraceMs,
    });
  }
  return worker;
}

/**
 * Publishes one event as job `eventName` with `jobId = messageId`, so publishing the same message
 * twice is deduplicated by BullMQ and consumers can key idempotency on the same id.
 */
export async function publishEvent<T extends { messageId: string }>(
  queue: Queue<T>,
  eventName: string,
  payload: T,
): Promise<void> {
  // bullmq's generics type `add`'s name against the queue's name type; ours are plain strings.
  await (queue as Queue).add(eventName, payload, { jobId: payload.messageId });
}

/**
 * Validates a job's payload again inside the processor. A malformed payload will never become
 * valid by retrying, so it fails with `UnrecoverableError` (no retry).
 */
export function parseJobPayload<S extends z.ZodType>(schema: S, job: Job): z.infer<S> {
  const result = schema.safeParse(job.data);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  throw new UnrecoverableError(`invalid ${job.name} payload (job ${job.id}): ${detail}`);
}
