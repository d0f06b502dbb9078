/**
 * The dashboard's window onto BullMQ: every queue under the sandbox's prefix with its counts, a
 * queue's jobs per state, and the actions (retry, promote, remove, clean, discard a dead letter).
 * Everything goes through BullMQ's own Queue/Job APIs; the one thing BullMQ cannot answer (which
 * queues exist) is a SCAN for its `<prefix>:<queue>:meta` keys. Each action is a span.
 */
import { SpanKind, SpanStatusCode, type Span, type Tracer } from "@opentelemetry/api";
import { Queue, type Job, type JobType } from "bullmq";
import { Redis } from "ioredis";
import { Attr, DEAD_LETTER_QUEUE, MESSAGING_SYSTEM_BULLMQ } from "../../services/contracts/index.ts";
import type { QueueConnection } from "../../services/shared/queue-options.ts";
import {
  QUEUE_JOB_STATES,
  queueNameOfMetaKey,
  throughputOf,
  toJobRow,
  toQueueCounts,
  type CleanableState,
  type JobRow,
  type QueueJobState,
  type QueueSummary,
} from "./view-models.ts";

/** What one action did to one job: `done`, or why not (`not-found`, `wrong-state`, BullMQ's message). */
export type JobActionOutcome = { id: string; status: "done" | "not-found" | "failed"; message: string | null };
export type JobAction = "retry" | "promote" | "remove";

export type QueueAdmin = {
  listQueueNames(): Promise<string[]>;
  summarize(names: readonly string[]): Promise<QueueSummary[]>;
  listJobs(name: string, state: QueueJobState, offset: number, limit: number): Promise<{ jobs: JobRow[]; total: number }>;
  getJob(name: string, id: string): Promise<JobRow | null>;
  act(name: string, action: JobAction, ids: readonly string[]): Promise<JobActionOutcome[]>;
  /** Removes jobs of `state` that finished (or were added) more than `graceMs` ago; answers their ids. */
  clean(name: string, state: CleanableState, graceMs: number, limit: number): Promise<string[]>;
  /** Removes dead letters from the DLQ without replaying them. */
  discardDeadLetters(ids: readonly string[]): Promise<JobActionOutcome[]>;
  close(): Promise<void>;
};

/** Newest finished jobs looked at per queue for the throughput figure. */
const THROUGHPUT_SAMPLE = 50;
const SCAN_COUNT = 1000;
/** Queue objects kept open (cheap on the shared connection, but not unbounded). */
const MAX_OPEN_QUEUES = 300;

async function stateOf(job: Job): Promise<QueueJobState> {
  const state = await job.getState();
  return (QUEUE_JOB_STATES as readonly string[]).includes(state) ? (state as QueueJobState) : "waiting";
}

/** A queue admin on `connection` whose action spans go to `tracer`. */
export function createQueueAdmin(connection: QueueConnection, tracer: Tracer): QueueAdmin {
  // One Redis connection for every Queue object (BullMQ opens one per Queue otherwise, and a
  // sandbox may hold a thousand queues); a Queue on a shared connection does not close it.
  let shared: Redis | null = null;
  const redis = (): Redis => (shared ??= new Redis(connection.redisUrl, { maxRetriesPerRequest: 3 }));
  const queues = new Map<string, Queue>();
  const queueOf = (name: string): Queue => {
    let queue = queues.get(name);
    if (queue) {
      // Most recently used last, so the eviction below drops the queue looked at longest ago.
      queues.delete(name);
    } else {
      queue = new Queue(name, { connection: redis(), prefix: connection.prefix });
      queue.on("error", (error) => console.error(`queues: ${name}: ${error.message}`));
    }
    queues.set(name, queue);
    if (queues.size > MAX_OPEN_QUEUES) {
      const [oldest] = queues;
      if (oldest) {
        queues.delete(oldest[0]);
        void oldest[1].close().catch(() => undefined);
      }
    }
    return queue;
  };

  /** One span per action, `<action> <queue>`, with the messaging attributes of its target. */
  async function traced<T>(action: string, name: string, attributes: Record<string, string | number>, run: (span: Span) => Promise<T>): Promise<T> {
    const span = tracer.startSpan(`${action} ${name}`, {
      kind: SpanKind.INTERNAL,
      attributes: {
        [Attr.MESSAGING_SYSTEM]: MESSAGING_SYSTEM_BULLMQ,
        [Attr.MESSAGING_OPERATION_NAME]: action,
        [Attr.MESSAGING_DESTINATION_NAME]: name,
        ...attributes,
      },
    });
    try {
      return await run(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      span.setAttribute(Attr.ERROR_TYPE, (error as Error).name);
      throw error;
    } finally {
      span.end();
    }
  }

  async function actOne(queue: Queue, action: JobAction, id: string): Promise<JobActionOutcome> {
    const job = await queue.getJob(id);
    if (!job) return { id, status: "not-found", message: null };
    try {
      if (action === "retry") {
        // Only failed jobs: a double click (or a second tab) must not run a processed job again.
        const state = await job.getState();
        if (state !== "failed") return { id, status: "failed", message: `job ${id} is ${state}; only failed jobs can be retried` };
        await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      } else if (action === "promote") await job.promote();
      else await job.remove();
      return { id, status: "done", message: null };
    } catch (error) {
      // BullMQ refuses a job in the wrong state or locked by a worker: say so, change nothing.
      return { id, status: "failed", message: (error as Error).message };
    }
  }

  return {
    async listQueueNames() {
      // BullMQ has no "list queues"; its Queue objects do not expose their client: SCAN on ours.
      const client = redis();
      const names = new Set<string>();
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${connection.prefix}:*:meta`, "COUNT", SCAN_COUNT);
        cursor = next;
        for (const key of keys) {
          const name = queueNameOfMetaKey(key, connection.prefix);
          if (name) names.add(name);
        }
      } while (cursor !== "0");
      return [...names].sort();
    },

    async summarize(names) {
      const now = Date.now();
      return Promise.all(
        names.map(async (name) => {
          const queue = queueOf(name);
          const [raw, finished, isPaused] = await Promise.all([
            queue.getJobCounts(...(QUEUE_JOB_STATES as unknown as JobType[])),
            queue.getJobs(["completed", "failed"], 0, THROUGHPUT_SAMPLE - 1, false),
            queue.isPaused(),
          ]);
          const rate = throughputOf(finished.map((job) => job?.finishedOn), now, THROUGHPUT_SAMPLE);
          return { name, counts: toQueueCounts(raw), throughputPerMin: rate.perMin, isThroughputCapped: rate.isCapped, isPaused };
        }),
      );
    },

    async listJobs(name, state, offset, limit) {
      const queue = queueOf(name);
      const [jobs, total] = await Promise.all([
        queue.getJobs([state as JobType], offset, offset + limit - 1, false),
        queue.getJobCountByTypes(state as JobType),
      ]);
      return { jobs: jobs.filter((job): job is Job => Boolean(job)).map((job) => toJobRow(job, state)), total };
    },

    async getJob(name, id) {
      const job = await queueOf(name).getJob(id);
      return job ? toJobRow(job, await stateOf(job)) : null;
    },

    act(name, action, ids) {
      const queue = queueOf(name);
      return traced(action, name, { [Attr.MESSAGING_MESSAGE_ID]: ids.join(",") }, async () => {
        const outcomes: JobActionOutcome[] = [];
        for (const id of new Set(ids)) outcomes.push(await actOne(queue, action, id));
        return outcomes;
      });
    },

    clean(name, state, graceMs, limit) {
      return traced("clean", name, { [Attr.QUEUE_CLEAN_STATE]: state, [Attr.QUEUE_CLEAN_GRACE_MS]: graceMs }, async () => {
        // `waiting` is BullMQ's `wait` list for clean.
        return queueOf(name).clean(graceMs, limit, state === "waiting" ? "wait" : state);
      });
    },

    async discardDeadLetters(ids) {
      const outcomes: JobActionOutcome[] = [];
      for (const id of new Set(ids)) {
        // One span per dead letter, carrying its id, so the dead-letter page (rebuilt from spans) can tell.
        const outcome = await traced("discard", DEAD_LETTER_QUEUE, { [Attr.DLQ_ID]: id }, async (span) => {
          const result = await actOne(queueOf(DEAD_LETTER_QUEUE), "remove", id);
          span.setAttribute(Attr.QUEUE_ACTION_OUTCOME, result.status);
          return result;
        });
        outcomes.push(outcome);
      }
      return outcomes;
    },

    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
      await shared?.quit();
      shared = null;
    },
  };
}
