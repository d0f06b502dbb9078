import { context, ROOT_CONTEXT, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import {
  Attr,
  ORDER_SAGA_NAME,
  SagaAction,
  SagaSpanNames,
  SagaStepOutcome,
  type SagaRequestKind,
  type SagaStatus,
} from "../../contracts/index.ts";
import { contextFromTraceparent } from "../../kit/job-sender.ts";
import { recordSpanError } from "../../kit/trpc.ts";
import type { StepOutcome } from "../domain/step-outcome.ts";
import type { SagaState } from "./store.ts";

/**
 * The orchestrator's spans (contracts/flow.ts SagaSpanNames). Every one is short: it ends when
 * its step (or start, resume, end) ends, so a live view sees a saga progress span by span and no
 * long-lived root stays open while a saga waits. The views rebuild a saga from these alone.
 */
const tracer = trace.getTracer("switchyard-saga");

/** What every saga span carries. */
export function sagaAttributes(saga: Pick<SagaState, "id" | "order">): Attributes {
  return {
    [Attr.SAGA_ID]: saga.id,
    [Attr.SAGA_NAME]: ORDER_SAGA_NAME,
    [Attr.ORDER_ID]: saga.order.id,
    [Attr.ORDER_STYLE]: saga.order.style,
  };
}

/**
 * Runs `fn` inside `saga.start order` (a child of the active span: the placeOrder request) and
 * returns its result with the context later step spans hang under.
 */
export async function withStartSpan<T>(saga: Pick<SagaState, "id" | "order">, steps: readonly string[], fn: () => Promise<T>): Promise<{ value: T; parent: Context }> {
  return tracer.startActiveSpan(SagaSpanNames.start(ORDER_SAGA_NAME), { attributes: { ...sagaAttributes(saga), [Attr.SAGA_STEPS]: [...steps] } }, async (span) => {
    try {
      return { value: await fn(), parent: context.active() };
    } catch (error) {
      recordSpanError(span, error, "INTERNAL");
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `saga.resume order`: a new trace (the request that started the saga is long gone) linked to the
 * saga's `saga.start` span, so a reader can jump between the two. Returns the context the
 * resumed saga's spans hang under.
 */
export function recordResume(saga: SagaState): Context {
  const origin = trace.getSpanContext(contextFromTraceparent(saga.traceparent, saga.tracestate));
  const span = tracer.startSpan(
    SagaSpanNames.resume(ORDER_SAGA_NAME),
    {
      root: true,
      links: origin ? [{ context: origin }] : [],
      attributes: {
        ...sagaAttributes(saga),
        [Attr.SAGA_STATUS]: saga.status,
        ...(saga.currentStep ? { [Attr.SAGA_STEP]: saga.currentStep } : {}),
        [Attr.SAGA_STEP_INDEX]: saga.stepIndex,
      },
    },
    ROOT_CONTEXT,
  );
  span.end();
  return trace.setSpan(ROOT_CONTEXT, span);
}

function stepAttributes(saga: SagaState, step: string, index: number, action: SagaAction): Attributes {
  return { ...sagaAttributes(saga), [Attr.SAGA_STEP]: step, [Attr.SAGA_STEP_INDEX]: index, [Attr.SAGA_ACTION]: action };
}

function markFailed(span: Span, reason: string): void {
  span.setAttributes({ [Attr.SAGA_STEP_OUTCOME]: SagaStepOutcome.FAILED, [Attr.SAGA_REASON]: reason });
}

/** What the orchestrator decided after an attempt without an answer. */
export type RetryDecision = { retryAt: Date | null; giveUpAt: Date; reason: string };

/**
 * One attempt at executing a step, in `saga.execute <step>` with `app.saga.step.attempt`. A
 * refusal (declined, out of stock) is a business outcome: outcome=failed with the reason, span
 * status left OK. A step without an answer is an error on the span as well (error.type = the
 * AppError code), and `onNoAnswer` decides what happens next: the span says when the step is tried
 * again (`app.saga.next_attempt_at_ms`, `app.retry.delay_ms`) and when the saga gives up, so a
 * view rebuilt from spans can show a waiting saga's schedule.
 */
export async function executeInSpan(
  saga: SagaState,
  step: string,
  index: number,
  attempt: number,
  parent: Context,
  fn: () => Promise<StepOutcome>,
  onNoAnswer: (outcome: Extract<StepOutcome, { kind: "failed" }>) => RetryDecision,
): Promise<StepOutcome> {
  const attributes = { ...stepAttributes(saga, step, index, SagaAction.EXECUTE), [Attr.SAGA_STEP_ATTEMPT]: attempt };
  return tracer.startActiveSpan(SagaSpanNames.execute(step), { attributes }, parent, async (span) => {
    try {
      const outcome = await fn();
      if (outcome.kind === "succeeded") span.setAttribute(Attr.SAGA_STEP_OUTCOME, SagaStepOutcome.SUCCEEDED);
      else markFailed(span, outcome.reason);
      if (outcome.kind === "failed") {
        recordSpanError(span, outcome.error, outcome.error.code);
        const { retryAt, giveUpAt } = onNoAnswer(outcome);
        span.setAttribute(Attr.SAGA_GIVE_UP_AT_MS, giveUpAt.getTime());
        if (retryAt) span.setAttributes({ [Attr.SAGA_NEXT_ATTEMPT_AT_MS]: retryAt.getTime(), [Attr.RETRY_DELAY_MS]: Math.max(0, retryAt.getTime() - Date.now()) });
      }
      return outcome;
    } catch (error) {
      markFailed(span, error instanceof Error ? error.message : String(error));
      recordSpanError(span, error, "INTERNAL");
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `saga.request cancel|retry`: a person's request and how it was taken, under the request that
 * carried it (the gateway's, so the dashboard click, the gateway and the order service share a
 * trace). The saga's own spans show what the orchestrator then did.
 */
export function recordRequest(saga: Pick<SagaState, "id" | "order">, kind: SagaRequestKind, outcome: string, extra: Attributes = {}): void {
  const span = tracer.startSpan(SagaSpanNames.request(kind), {
    attributes: { ...sagaAttributes(saga), [Attr.SAGA_REQUEST]: kind, [Attr.SAGA_REQUEST_OUTCOME]: outcome, ...extra },
  });
  span.end();
}

/** One attempt at compensating a step, in `saga.compensate <step>`; rethrows a failure. */
export async function compensateInSpan(saga: SagaState, step: string, index: number, parent: Context, fn: () => Promise<unknown>): Promise<void> {
  const attributes = stepAttributes(saga, step, index, SagaAction.COMPENSATE);
  return tracer.startActiveSpan(SagaSpanNames.compensate(step), { attributes }, parent, async (span) => {
    try {
      const didSomething = await fn();
      span.setAttribute(Attr.SAGA_STEP_OUTCOME, SagaStepOutcome.SUCCEEDED);
      // The participant said there was nothing to undo (the step never took effect).
      if (didSomething === false) span.setAttribute(Attr.UNDO_NOOP, true);
    } catch (error) {
      markFailed(span, error instanceof Error ? error.message : String(error));
      recordSpanError(span, error, (error as { code?: string }).code ?? "INTERNAL");
      throw error;
    } finally {
      span.end();
    }
  });
}

/** `saga.end order`: the saga's final status, and its reason when it was compensated. */
export function recordEnd(saga: SagaState, status: Extract<SagaStatus, "completed" | "compensated">, orderStatus: string, parent: Context): void {
  const span = tracer.startSpan(
    SagaSpanNames.end(ORDER_SAGA_NAME),
    {
      attributes: {
        ...sagaAttributes(saga),
        [Attr.SAGA_STATUS]: status,
        [Attr.ORDER_STATUS]: orderStatus,
        ...(saga.reason ? { [Attr.SAGA_REASON]: saga.reason } : {}),
      },
    },
    parent,
  );
  span.end();
}
