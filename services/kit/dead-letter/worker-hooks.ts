import { context, trace } from "@opentelemetry/api";
import type { Job, Worker } from "bullmq";
import { Attr } from "../../contracts/index.ts";
import type { QueueConnection } from "../../shared/queue-options.ts";
import { createDeadLetterer } from "./dead-letterer.ts";
import { startDeadLetterReconciler } from "./reconciler.ts";

export type DeadLetteringOptions = {
  connection: QueueConnection;
  reconcileIntervalMs: number;
  reconcileGraceMs: number;
  log?: (message: string) => void;
};

/** True once BullMQ has moved the job to the failed set (it sets `finishedOn` only then). */
function isFinalFailure(job: Job): boolean {
  return typeof job.finishedOn === "number" && job.finishedOn > 0;
}

/**
 * Dead-lettering for one worker. BullMQ emits `failed` after every failed attempt, inside the
 * attempt's `process` span and after `moveToFailed` decided: a retried job has `delay` (its
 * backoff, recorded on the span), a job that failed for good has `finishedOn` and goes to the DLQ
 * with a `dead-letter <queue>` span as a child of that last `process` span. A reconciler on the
 * same queue covers what this misses (a crash in between). A job that stalled too often is failed
 * by the next worker that fetches it (BullMQ 6 defers the failure), so it passes through here too.
 */
export function attachDeadLettering(worker: Worker, options: DeadLetteringOptions): void {
  const log = options.log ?? ((message: string) => console.error(message));
  const deadLetterer = createDeadLetterer(options.connection);
  const reconciler = startDeadLetterReconciler({
    queueName: worker.name,
    connection: options.connection,
    deadLetterer,
    intervalMs: options.reconcileIntervalMs,
    graceMs: options.reconcileGraceMs,
    log,
  });
  const pending = new Set<Promise<unknown>>();
  worker.on("failed", (job, error) => {
    if (!job) return;
    const span = trace.getActiveSpan();
    if (!isFinalFailure(job)) {
      span?.setAttribute(Attr.JOB_RETRY_DELAY_MS, job.delay);
      return;
    }
    span?.setAttribute(Attr.JOB_FINAL_FAILURE, true);
    const move = deadLetterer
      .deadLetter(job, error, { detectedBy: "worker", parent: context.active() })
      .catch((moveError: Error) => log(`${worker.name}: dead-lettering job ${job.id} failed (the reconciler retries): ${moveError.message}`))
      .finally(() => pending.delete(move));
    pending.add(move);
  });
  worker.once("closing", () => reconciler.stop());
  worker.once("closed", () => {
    void Promise.allSettled([...pending]).then(() => deadLetterer.close());
  });
}
