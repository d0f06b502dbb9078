import { ROOT_CONTEXT, SpanKind, type Attributes as OtelAttributes, type Context } from "@opentelemetry/api";
import type { Attributes, AttributeValue, Span, SpanOptions, Telemetry, Tracer } from "bullmq";
import { BullMQOtel } from "bullmq-otel";
import { suppressTracing } from "@opentelemetry/core";
import { tracingEnabled } from "./tracing-mode.ts";
import {
  Attr,
  MESSAGING_SYSTEM_BULLMQ,
  MessagingOperationType,
  type MessagingPattern,
} from "../contracts/index.ts";

/** bullmq's own attribute names (enums/telemetry-attributes) that we mirror into OTel names. */
const BULLMQ_JOB_ID = "bullmq.job.id";
const BULLMQ_JOB_NAME = "bullmq.job.name";

/** A bullmq-otel span passed through as it is (the base of the two below). */
class DelegatingSpan implements Span<Context> {
  constructor(protected readonly inner: Span<Context>) {}
  setSpanOnContext(ctx: Context): Context {
    return this.inner.setSpanOnContext(ctx);
  }
  setAttribute(key: string, value: AttributeValue): void {
    this.setAttributes({ [key]: value });
  }
  setAttributes(attributes: Attributes): void {
    this.inner.setAttributes(attributes);
  }
  addEvent(name: string, attributes?: Attributes): void {
    this.inner.addEvent(name, attributes);
  }
  recordException(...args: Parameters<Span["recordException"]>): void {
    this.inner.recordException(...args);
  }
  end(): void {
    this.inner.end();
  }
}

/**
 * Wraps a bullmq-otel span so the job id and name bullmq sets later also land under the OTel
 * messaging names (`messaging.message.id`, `app.event.name`) the dashboard reads.
 */
class MessagingSpan extends DelegatingSpan {
  override setAttributes(attributes: Attributes): void {
    const extra: Attributes = {};
    if (attributes[BULLMQ_JOB_ID] !== undefined) extra[Attr.MESSAGING_MESSAGE_ID] = attributes[BULLMQ_JOB_ID];
    if (attributes[BULLMQ_JOB_NAME] !== undefined) extra[Attr.EVENT_NAME] = attributes[BULLMQ_JOB_NAME];
    this.inner.setAttributes({ ...attributes, ...extra });
  }
}

/**
 * A bullmq span of its own housekeeping (`fail`, `extendLock`, ...): kept, but the Redis
 * commands it runs are not traced. Each is one `evalsha` that only repeats its parent.
 */
class QuietSpan extends DelegatingSpan {
  override setSpanOnContext(ctx: Context): Context {
    return suppressTracing(super.setSpanOnContext(ctx));
  }
}

/**
 * What bullmq's `complete` span becomes: nothing. It wraps the one Redis call that acknowledges
 * the job at the very end of its `process` span, so it only repeats that span's end (a tenth of a
 * hybrid order's spans). Its Redis commands are not traced either.
 */
const DROPPED_SPAN: Span<Context> = {
  setSpanOnContext: (ctx) => suppressTracing(ctx),
  setAttribute: () => undefined,
  setAttributes: () => undefined,
  addEvent: () => undefined,
  recordException: () => undefined,
  end: () => undefined,
};
const DROPPED_OPERATIONS = new Set(["complete"]);

/** Messaging attributes for bullmq's `add` (send) and `process` spans; other spans get none. */
function messagingAttributes(queueName: string, pattern: MessagingPattern, operation: string, kind: SpanKind): OtelAttributes | null {
  const isSend = kind === SpanKind.PRODUCER && operation === "add";
  const isProcess = kind === SpanKind.CONSUMER && operation === "process";
  if (!isSend && !isProcess) return null;
  return {
    [Attr.MESSAGING_SYSTEM]: MESSAGING_SYSTEM_BULLMQ,
    [Attr.MESSAGING_OPERATION_TYPE]: isSend ? MessagingOperationType.SEND : MessagingOperationType.PROCESS,
    [Attr.MESSAGING_OPERATION_NAME]: operation,
    [Attr.MESSAGING_DESTINATION_NAME]: queueName,
    [Attr.MESSAGING_PATTERN]: pattern,
  };
}

/**
 * Renames bullmq-otel spans to the OTel messaging convention: bullmq names the producer
 * `add <queue>.<job>`; we name it `send <queue>` (the job name goes to `app.event.name`). The
 * consumer is already `process <queue>`.
 */
class MessagingTracer implements Tracer<Context> {
  constructor(
    private readonly inner: Tracer<Context>,
    private readonly queueName: string,
    private readonly pattern: MessagingPattern,
  ) {}

  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span<Context> {
    const kind = (options?.kind ?? SpanKind.INTERNAL) as number as SpanKind;
    const [operation = "", destination = ""] = name.split(" ", 2);
    const attributes = messagingAttributes(this.queueName, this.pattern, operation, kind);
    if (!attributes) return DROPPED_OPERATIONS.has(operation) ? DROPPED_SPAN : new QuietSpan(this.inner.startSpan(name, options, ctx));
    const isSend = kind === SpanKind.PRODUCER;
    const spanName = `${isSend ? MessagingOperationType.SEND : MessagingOperationType.PROCESS} ${this.queueName}`;
    if (isSend) attributes[Attr.EVENT_NAME] = destination.slice(this.queueName.length + 1);
    // bullmq-otel forwards `options` to the OTel tracer, so extra attributes are seen by samplers.
    const span = this.inner.startSpan(spanName, { ...options, attributes } as SpanOptions, ctx);
    return new MessagingSpan(span);
  }
}

/**
 * BullMQ telemetry for one queue: bullmq-otel (context in job metadata, producer -> consumer
 * parenting) plus messaging span names/attributes, and `root()` so bullmq's background loops
 * start detached traces (which the service sampler then drops) instead of joining a request's.
 */
export function createQueueTelemetry(queueName: string, pattern: MessagingPattern): Telemetry<Context> | undefined {
  // Tracing off (tracing-mode.ts): no bullmq-otel at all, bullmq then skips its tracing paths.
  if (!tracingEnabled) return undefined;
  const otel = new BullMQOtel({ tracerName: "bullmq" });
  return {
    tracer: new MessagingTracer(otel.tracer, queueName, pattern),
    contextManager: {
      with: (ctx, fn) => otel.contextManager.with(ctx, fn),
      active: () => otel.contextManager.active(),
      getMetadata: (ctx) => otel.contextManager.getMetadata(ctx),
      fromMetadata: (active, metadata) => otel.contextManager.fromMetadata(active, metadata),
      root: () => ROOT_CONTEXT,
    },
  };
}
