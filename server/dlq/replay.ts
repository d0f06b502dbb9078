import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link, type Span, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import {
  Attr,
  DEAD_LETTER_QUEUE,
  DeadLetterRecordSchema,
  LinkType,
  MessagingPattern,
  replayJobId,
  type DeadLetterRecord,
  type ReplayOutcome,
} from "../../services/contracts/index.ts";
import { deadLetterAttributes, messagingSendAttributes } from "../../services/shared/messaging-attributes.ts";
import { DEFAULT_JOB_OPTIONS, type QueueConnection } from "../../services/shared/queue-options.ts";

/** Replays dead letters; see {@link createReplayer}. */
export type Replayer = {
  replay(ids: readonly string[]): Promise<ReplayOutcome[]>;
  close(): Promise<void>;
};

export type ReplayerOptions = {
  connection: QueueConnection;
  /** Tracer for the `replay <queue>` spans (the dashboard passes its own provider's tracer). */
  tracer: Tracer;
  /** A replay that crashed half-way can be retried after this long. */
  claimTtlMs?: number;
};

/** Kept a week: a replayed id answers `already-replayed` (not `not-found`) to late double clicks. */
const DONE_TTL_SECONDS = 7 * 24 * 3600;
const DEFAULT_CLAIM_TTL_MS = 60_000;
// Explicit propagator: the dashboard process has no global OTel setup, and the format is fixed.
const propagator = new W3CTraceContextPropagator();

/** The links of a replay root: the original message's span and the dead-lettering span. */
function replayLinks(record: DeadLetterRecord): Link[] {
  const links: Link[] = [];
  const origin = record.traceparent?.match(/^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/);
  if (origin) {
    links.push({
      context: { traceId: origin[1]!, spanId: origin[2]!, traceFlags: Number.parseInt(origin[3]!, 16) },
      attributes: { [Attr.LINK_TYPE]: LinkType.DEAD_LETTER_ORIGIN },
    });
  }
  if (record.deadLetterSpan) {
    links.push({
      context: { ...record.deadLetterSpan, traceFlags: 1 },
      attributes: { [Attr.LINK_TYPE]: LinkType.DEAD_LETTERING },
    });
  }
  return links;
}

/** The root of the replay's new trace: a send of the message back to its source queue. */
function startReplaySpan(tracer: Tracer, record: DeadLetterRecord, jobId: string): Span {
  return tracer.startSpan(
    `replay ${record.sourceQueue}`,
    {
      kind: SpanKind.PRODUCER,
      root: true,
      links: replayLinks(record),
      attributes: {
        ...messagingSendAttributes({
          operationName: "replay",
          destination: record.sourceQueue,
          messageId: jobId,
          pattern: MessagingPattern.POINT_TO_POINT,
        }),
        [Attr.EVENT_NAME]: record.jobName,
        ...deadLetterAttributes(record),
        [Attr.DLQ_REPLAY_JOB_ID]: jobId,
      },
    },
    ROOT_CONTEXT,
  );
}

/**
 * Replays dead letters to their source queues, each as a new job in a NEW trace whose root
 * (`replay <queue>`) links to the original message and to the dead-lettering span. Idempotent:
 * a Redis `SET NX` claim per dead-letter id lets exactly one request (tab, click) replay it; the
 * new job's id is derived from the original (`<id>~replay`), so even a retried half-done replay
 * adds it once. Order: claim, add the job, remove it from the DLQ, mark the claim done.
 */
export function createReplayer(options: ReplayerOptions): Replayer {
  const { connection, tracer } = options;
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const dlq = new Queue(DEAD_LETTER_QUEUE, { connection: { url: connection.redisUrl }, prefix: connection.prefix });
  // The claims are plain keys next to the DLQ's; BullMQ does not expose its own client.
  const redis = new Redis(connection.redisUrl, { maxRetriesPerRequest: 3 });
  const sources = new Map<string, Queue>();
  const sourceQueue = (name: string): Queue => {
    let queue = sources.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: { url: connection.redisUrl }, prefix: connection.prefix });
      sources.set(name, queue);
    }
    return queue;
  };
  const claimKey = (id: string) => `${connection.prefix}:${DEAD_LETTER_QUEUE}:replayed:${id}`;

  async function replayOne(id: string): Promise<ReplayOutcome> {
    const none = { id, traceId: null, jobId: null };
    if ((await redis.set(claimKey(id), "pending", "PX", claimTtlMs, "NX")) !== "OK") return { ...none, status: "already-replayed" };
    try {
      const dlqJob = await dlq.getJob(id);
      if (!dlqJob) {
        await redis.del(claimKey(id));
        return { ...none, status: "not-found" };
      }
      const record = DeadLetterRecordSchema.parse(dlqJob.data);
      const jobId = replayJobId(record.originalJobId);
      const target = sourceQueue(record.sourceQueue);
      let traceId: string | null = null;
      if (!(await target.getJob(jobId))) traceId = await addReplayJob(target, record, jobId);
      await dlq.remove(id);
      await redis.set(claimKey(id), traceId ?? "done", "EX", DONE_TTL_SECONDS);
      return traceId ? { id, status: "replayed", traceId, jobId } : { ...none, status: "already-replayed" };
    } catch (error) {
      await redis.del(claimKey(id));
      throw error;
    }
  }

  async function addReplayJob(target: Queue, record: DeadLetterRecord, jobId: string): Promise<string> {
    const span = startReplaySpan(tracer, record, jobId);
    try {
      const carrier: Record<string, string> = {};
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, { set: (c, k, v) => void (c[k] = v) });
      await target.add(record.jobName, record.payload, { ...DEFAULT_JOB_OPTIONS, jobId, telemetry: { metadata: JSON.stringify(carrier) } });
      return span.spanContext().traceId;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  return {
    async replay(ids) {
      // One at a time: a batch is at most a few hundred, and each is a handful of Redis calls.
      const outcomes: ReplayOutcome[] = [];
      for (const id of new Set(ids)) outcomes.push(await replayOne(id));
      return outcomes;
    },
    async close() {
      await Promise.all([dlq.close(), ...[...sources.values()].map((queue) => queue.close())]);
      await redis.quit();
      sources.clear();
    },
  };
}
