import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { Queue, type JobsOptions } from "bullmq";
import { Attr, MessagingOperationType, type MessagingPattern } from "../contracts/index.ts";
import { messagingSendAttributes } from "../shared/messaging-attributes.ts";
import { DEFAULT_JOB_OPTIONS, type QueueConnection } from "../shared/queue-options.ts";
import { untraced } from "./untraced.ts";

/** One job to add: `jobId` deduplicates (BullMQ ignores an add whose id already exists). */
export type OutgoingJob = { queue: string; name: string; data: unknown; jobId: string; metadata: string };

/**
 * Adds jobs to any number of queues, untraced. Why not `createQueue` (bullmq-otel): that opens
 * one `send` span per queue, while a publish-subscribe event is ONE send that fans out to every
 * subscriber's queue. The kit opens that one PRODUCER span itself (`startProducerSpan`) and
 * stores its context in each job (`metadata`, bullmq-otel's format), so every subscriber's
 * `process <queue>` span is a child of the same `send <topic>`. One Queue per destination, kept
 * open; `addBulk` sends a batch to a queue in one round trip.
 */
export type JobSender = {
  send(jobs: readonly OutgoingJob[]): Promise<void>;
  close(): Promise<void>;
};

/** A JobSender on `connection`. Its Redis commands run with tracing suppressed (no span noise). */
export function createJobSender(connection: QueueConnection): JobSender {
  const queues = new Map<string, Queue>();
  const queueFor = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: { url: connection.redisUrl }, prefix: connection.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queues.set(name, queue);
    }
    return queue;
  };
  return {
    async send(jobs) {
      const byQueue = new Map<string, OutgoingJob[]>();
      for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
      await untraced(() =>
        Promise.all(
          [...byQueue].map(([name, batch]) =>
            queueFor(name).addBulk(
              batch.map((job) => ({
                name: job.name,
                data: job.data,
                opts: { jobId: job.jobId, telemetry: { metadata: job.metadata } } satisfies JobsOptions,
              })),
            ),
          ),
        ),
      );
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
    },
  };
}

/** What a `send <destination>` PRODUCER span says about its message. */
export type ProducerSpanOptions = {
  destination: string;
  pattern: MessagingPattern;
  messageId: string;
  eventName: string;
  attributes?: Attributes;
  /** Parent context (for example one rebuilt from an outbox row's traceparent); default: active. */
  parent?: Context;
};

/** Starts a `send <destination>` PRODUCER span with the OTel messaging attributes. */
export function startProducerSpan(options: ProducerSpanOptions): Span {
  return trace.getTracer("switchyard-messaging").startSpan(
    `${MessagingOperationType.SEND} ${options.destination}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...messagingSendAttributes({
          operationName: MessagingOperationType.SEND,
          destination: options.destination,
          messageId: options.messageId,
          pattern: options.pattern,
        }),
        [Attr.EVENT_NAME]: options.eventName,
        ...options.attributes,
      },
    },
    options.parent ?? context.active(),
  );
}

/** The job metadata bullmq-otel reads on the consumer side: the W3C headers of `span`, as JSON. */
export function spanMetadata(span: Span, parent: Context = context.active()): string {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return JSON.stringify(carrier);
}

/** The context a stored W3C `traceparent`/`tracestate` describes (ROOT-based when absent). */
export function contextFromTraceparent(traceparent: string | null, tracestate: string | null): Context {
  const carrier: Record<string, string> = {};
  if (traceparent) carrier.traceparent = traceparent;
  if (tracestate) carrier.tracestate = tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The active context's W3C headers (what an outbox row stores to continue the trace later). */
export function activeTraceHeaders(): { traceparent: string | null; tracestate: string | null } {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return { traceparent: carrier.traceparent ?? null, tracestate: carrier.tracestate ?? null };
}
