import type { Context } from "@opentelemetry/api";
import { ExponentialBackoff, handleAll, handleWhenResult, retry } from "cockatiel";
import type { SagaStep, TerminalOrderStatus } from "../../contracts/index.ts";
import type { Db } from "../db.ts";
import { finishOrder } from "../orders-store.ts";
import { shortReason, type StepOutcome } from "../domain/step-outcome.ts";
import { ORDER_SAGA_PLAN, type StepDeps } from "./steps.ts";
import { updateSaga, type SagaState, type StepRecord } from "./store.ts";
import { compensateInSpan, executeInSpan, recordEnd } from "./telemetry.ts";

/** What driving one saga needs. `signal` aborts retries when the process is stopping. */
export type RunContext = { db: Db; deps: StepDeps; parent: Context; signal: AbortSignal };

/**
 * A step without an answer is tried again: 4 attempts over ~1.5 s, then the saga fails and
 * compensates. Each attempt has its own `saga.execute` span.
 */
const executePolicy = retry(handleWhenResult((outcome) => (outcome as StepOutcome).kind === "failed"), {
  maxAttempts: 3,
  backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2000 }),
});

/**
 * A compensation must eventually happen: it is retried with capped backoff until it succeeds or
 * the process stops (then the saga stays `compensating` and the next start resumes it).
 */
const compensatePolicy = retry(handleAll, {
  maxAttempts: Number.MAX_SAFE_INTEGER,
  backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 10_000 }),
});

function recordOf(outcome: StepOutcome, attempts: number): StepRecord {
  const at = new Date().toISOString();
  if (outcome.kind === "succeeded") return { outcome: "succeeded", detail: outcome.detail, attempts, at };
  return { outcome: "failed", reason: shortReason(outcome.reason), uncertain: outcome.kind === "failed", attempts, at };
}

/**
 * Executes the saga's current step (retrying transient failures) and persists the result: the
 * next step on success, `compensating` with the reason on failure. Null when the process is
 * stopping and the step got no verdict (the next start redoes it).
 */
export async function executeCurrentStep(run: RunContext, saga: SagaState): Promise<SagaState | null> {
  const index = saga.stepIndex;
  const step = ORDER_SAGA_PLAN[index]!;
  let current = saga.currentStep === step.name ? saga : await updateSaga(run.db, saga, { currentStep: step.name });
  let attempts = 0;
  const outcome = await executePolicy.execute(() => {
    attempts += 1;
    return executeInSpan(current, step.name, index, run.parent, () => step.execute(run.deps, current.order));
  }, run.signal);
  // Stopping mid-retry is not a verdict on the step: leave it for the next start to redo.
  if (outcome.kind === "failed" && run.signal.aborted) return null;
  const stepResults = { ...current.stepResults, [step.name]: recordOf(outcome, attempts) };
  if (outcome.kind === "succeeded") {
    const next = ORDER_SAGA_PLAN[index + 1];
    return updateSaga(run.db, current, { stepIndex: index + 1, currentStep: next?.name ?? null, stepResults });
  }
  return updateSaga(run.db, current, { status: "compensating", currentStep: null, reason: shortReason(outcome.reason), stepResults });
}

/**
 * The steps to compensate, latest first: those that succeeded, and the failed one when its
 * outcome is unknown (it may have taken effect). Steps without a compensation are skipped.
 */
export function stepsToCompensate(saga: SagaState): { name: SagaStep; index: number }[] {
  return ORDER_SAGA_PLAN.map((step, index) => ({ step, index }))
    .filter(({ step }) => {
      const record = saga.stepResults[step.name];
      const tookEffect = record?.outcome === "succeeded" || record?.uncertain === true;
      return tookEffect && step.compensate !== undefined && !saga.compensated.includes(step.name);
    })
    .reverse()
    .map(({ step, index }) => ({ name: step.name, index }));
}

/** Compensates what needs it, in reverse, persisting each; null when stopped before the end. */
export async function compensateAll(run: RunContext, saga: SagaState): Promise<SagaState | null> {
  let current = saga;
  const reason = saga.reason ?? "saga failed";
  for (const { name, index } of stepsToCompensate(saga)) {
    const compensate = ORDER_SAGA_PLAN[index]!.compensate!;
    current = await updateSaga(run.db, current, { currentStep: name });
    const state = current;
    try {
      await compensatePolicy.execute(() => compensateInSpan(state, name, index, run.parent, () => compensate(run.deps, state.order, reason)), run.signal);
    } catch (error) {
      if (run.signal.aborted) return null;
      throw error;
    }
    current = await updateSaga(run.db, current, { compensated: [...current.compensated, name] });
  }
  return run.signal.aborted ? null : current;
}

/**
 * Ends the saga: its status and its order's terminal status in one transaction, then `saga.end`.
 * REJECTED when the first step failed (nothing took effect), COMPENSATED when something was undone.
 */
export async function finishSaga(run: RunContext, saga: SagaState): Promise<SagaState> {
  const completed = saga.status === "running";
  const anySucceeded = Object.values(saga.stepResults).some((record) => record?.outcome === "succeeded");
  const orderStatus: TerminalOrderStatus = completed ? "COMPLETED" : anySucceeded ? "COMPENSATED" : "REJECTED";
  const status = completed ? "completed" : "compensated";
  const ended = await run.db.$transaction(async (tx) => {
    const next = await updateSaga(tx, saga, { status, currentStep: null });
    await finishOrder(tx, saga.order.id, orderStatus, saga.reason);
    return next;
  });
  recordEnd(ended, status, orderStatus, run.parent);
  return ended;
}
