import { randomUUID } from "node:crypto";
import { trace, type Attributes } from "@opentelemetry/api";
import { Attr, type EventEnvelope, type EventName } from "../contracts/index.ts";
import { eventAttributes } from "./messaging.ts";
import { recordSpanError } from "./trpc.ts";

/** The event a handler publishes in answer to `cause`: same order and style, a new message id. */
export function deriveEvent(cause: EventEnvelope, name: EventName, reason: string | null = null): EventEnvelope {
  return {
    messageId: randomUUID(),
    name,
    orderId: cause.orderId,
    style: cause.style,
    occurredAt: new Date().toISOString(),
    order: cause.order,
    reason,
  };
}

/**
 * Runs one event handler's business step inside an INTERNAL span named for what it does
 * (`payment.charge`, `payment.refund`, ...), so a reader of the trace sees the step — and a
 * compensation as such, with its reason — under the `process <queue>` span.
 */
export async function withHandlerSpan<T>(
  name: string,
  event: EventEnvelope,
  fn: () => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  const extra = event.reason ? { [Attr.ORDER_REASON]: event.reason } : {};
  return trace.getTracer("switchyard-handlers").startActiveSpan(name, { attributes: { ...eventAttributes(event), ...extra, ...attributes } }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      recordSpanError(span, error, error instanceof Error ? error.name : "UNKNOWN");
      throw error;
    } finally {
      span.end();
    }
  });
}
