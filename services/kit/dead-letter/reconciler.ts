import { ROOT_CONTEXT, SpanKind, trace, type Span } from "@opentelemetry/api";
import { Queue, type Job } from "bullmq";
import { Attr, deadLetterId } from "../../contracts/index.ts";
import type { QueueConnection } from "../../shared/queue-options.ts";
import { untraced } from "../untraced.ts";
import type { DeadLetterer } from "./dead-letterer.ts";

export type ReconcilerOptions = {
  queueName: string;
  connection: QueueConnection;
  deadLetterer: DeadLetterer;
  /** How often to scan the failed set. */
  intervalMs: number;
  /**
   * Only jobs that failed at least this long ago: the worker dead-letters a job right after its
   * last attempt, so the reconciler only takes what that step missed (a crash or Redis hiccup
   * between failing and moving, a job failed by another tool such as bull-board).
   */
  graceMs: number;
  /** Failed jobs looked at per scan (oldest first). */
  batchSize?: number;
  log?: (message: string) => void;
};

/** A running reconciler; `runOnce` returns how many jobs it moved to the DLQ. */
export type Reconciler = { runOnce(): Promise<number>; stop(): void };

const DEFAULT_BATCH = 200;

/** Failed jobs of the queue old enough to be the reconciler's business, and not yet in the DLQ. */
async function findMissing(source: Queue, options: ReconcilerOptions): Promise<Job[]> {
  const failed = (await untraced(() => source.getJobs(["failed"], 0, (options.batchSize ?? DEFAULT_BATCH) - 1, true))) as Job[];
  const cutoff = Date.now() - options.graceMs;
  const missing: Job[] = [];
  for (const job of failed) {
    if (!job || (job.finishedOn ?? 0) > cutoff) continue;
    if (await options.deadLetterer.has(deadLetterId(options.queueName, String(job.id)))) {
      // Dead-lettered, but the source copy survived (crash between the two steps): finish the move.
      await untraced(() => job.remove().catch(() => undefined));
    } else {
      missing.push(job);
    }
  }
  return missing;
}

/** Moves `jobs` under one `reconcile dead-letters` root span that links to each dead-letter span. */
async function moveAll(jobs: Job[], options: ReconcilerOptions): Promise<number> {
  const span: Span = trace.getTracer("switchyard-dead-letter").startSpan(
    "reconcile dead-letters",
    { kind: SpanKind.INTERNAL, attributes: { [Attr.DLQ_SOURCE_QUEUE]: options.queueName } },
    ROOT_CONTEXT,
  );
  let moved = 0;
  try {
    for (const job of jobs) {
      const result = await options.deadLetterer.deadLetter(job, null, {
        detectedBy: "reconciler",
        links: [{ context: span.spanContext() }],
      });
      if (result.status === "moved" && result.span) {
        moved += 1;
        span.addLink({ context: result.span.spanContext(), attributes: { [Attr.DLQ_ID]: result.id } });
      }
    }
  } finally {
    span.setAttribute(Attr.DLQ_RECONCILED_COUNT, moved);
    span.end();
  }
  return moved;
}

/**
 * Periodically makes sure nothing BullMQ failed on `queueName` is missing from the DLQ. It records
 * a span only when it moves something. Scans never overlap; the timer does not keep the process up.
 */
export function startDeadLetterReconciler(options: ReconcilerOptions): Reconciler {
  const source = new Queue(options.queueName, { connection: { url: options.connection.redisUrl }, prefix: options.connection.prefix });
  const log = options.log ?? ((message: string) => console.error(message));
  let running: Promise<number> | null = null;
  let stopped = false;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      try {
        const missing = await findMissing(source, options);
        return missing.length === 0 ? 0 : await moveAll(missing, options);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) runOnce().catch((error: Error) => log(`${options.queueName}: dead-letter reconciler failed: ${error.message}`));
  }, options.intervalMs);
  timer.unref();
  return {
    runOnce,
    stop() {
      stopped = true;
      clearInterval(timer);
      void (running ?? Promise.resolve()).catch(() => undefined).finally(() => source.close());
    },
  };
}
