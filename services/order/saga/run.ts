import type { Context } from "@opentelemetry/api";
import { ExponentialBackoff, handleAll, retry } from "cockatiel";
import type { SagaStep, TerminalOrderStatus } from "../../contracts/index.ts";
import type { Db } from "../db.ts";
import { finishOrder } from "../orders-store.ts";
import { shortReason, type StepOutcome } from "../domain/step-outcome.ts";
import { ORDER_SAGA_PLAN, type StepDeps } from "./steps.ts";
import { loadRequests, updateSaga, type SagaState, type StepRecord } from "./store.ts";
import { compensateInSpan, executeInSpan, recordEnd } from "./telemetry.ts";

/**
 * How a step that gets no answer is tried again: with exponential backoff (cockatiel's, with
 * decorrelated jitter) until the order is `giveUpAfterMs` old, then the saga compensates. The
 * same deadline as the other styles' recovery (ORDER_GIVE_UP_AFTER_MS): an outage delays a saga
 * order instead of failing it at once.
 */
export type StepRetrySettings = { giveUpAfterMs: number; initialDelayMs: number; maxDelayMs: number };

/**
 * What driving one saga needs. `signal` aborts waits and retries when the process is stopping;
 * `waitFor` sleeps until `until`, or until the saga is nudged (a person's request) or the process
 * stops, whichever comes first.
 */
export type RunContext = {
  db: Db;
  deps: StepDeps;
  parent: Context;
  signal: AbortSignal;
  retry: StepRetrySettings;
  waitFor(sagaId: string, until: Date): Promise<void>;
};

/**
 * The delay before attempt `attempt + 1`. The retry loop is our own (below) rather than
 * cockatiel's `retry()` policy because its schedule must survive a restart and be cut short by
 * a person; cockatiel still supplies the backoff curve.
 */
export function retryDelayMs(settings: StepRetrySettings, attempt: number): number {
  let backoff = new ExponentialBackoff({ initialDelay: settings.initialDelayMs, maxDelay: settings.maxDelayMs }).next();
  for (let n = 1; n < attempt; n += 1) backoff = backoff.next(undefined);
  return backoff.duration;
}

/** When the next attempt is, or null when it would come after the give-up deadline. */
export function nextAttemptAt(settings: StepRetrySettings, createdAtMs: number, attempt: number, nowMs: number): Date | null {
  const at = nowMs + retryDelayMs(settings, attempt);
  return at < createdAtMs + settings.giveUpAfterMs ? new Date(at) : null;
}

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
 * A person cancelled the saga: it stops going forward and compensates now. A step whose attempts
 * got no answer may have taken effect, so it is recorded as uncertain and compensated too.
 */
async function cancelled(run: RunContext, saga: SagaState, step: SagaStep): Promise<SagaState> {
  const waited = saga.stepAttempts > 0;
  const reason = shortReason(
    waited
      ? `cancelled by a person while ${step} waited after ${saga.stepAttempts} attempt(s) without an answer (last: ${saga.lastError ?? "no answer"})`
      : `cancelled by a person before ${step}`,
  );
  const stepResults = waited
    ? { ...saga.stepResults, [step]: { outcome: "failed", reason: saga.lastError ?? "no answer", uncertain: true, attempts: saga.stepAttempts, at: new Date().toISOString() } satisfies StepRecord }
    : saga.stepResults;
  return updateSaga(run.db, saga, { status: "compensating", currentStep: null, reason, stepResults, nextAttemptAt: null });
}

/**
 * Executes the saga's current step and persists the result: the next step on success,
 * `compensating` with the reason on a refusal or once retries run out. A step without an answer
 * waits for its next attempt with the schedule persisted (`next_attempt_at`, `last_error`): the
 * dashboard shows it, a restart keeps it, and a person may cancel the saga or retry at once.
 * Null when the process is stopping and the step got no verdict (the next start redoes it).
 */
export async function executeCurrentStep(run: RunContext, saga: SagaState): Promise<SagaState | null> {
  const index = saga.stepIndex;
  const step = ORDER_SAGA_PLAN[index]!;
  let current =
    saga.currentStep === step.name
      ? saga
      : await updateSaga(run.db, saga, { currentStep: step.name, stepAttempts: 0, nextAttemptAt: null, lastError: null, retryRequestedFor: null });
  for (;;) {
    if (run.signal.aborted) return null;
    const requests = await loadRequests(run.db, current.id);
    if (requests.cancelRequested) return cancelled(run, current, step.name);
    const waitUntil = current.nextAttemptAt;
    if (waitUntil && waitUntil.getTime() > Date.now() && requests.retryRequestedFor !== current.stepAttempts) {
      await run.waitFor(current.id, waitUntil);
      continue;
    }
    const attempt = current.stepAttempts + 1;
    // Attempting now: the saga no longer waits (a retry request for the last attempt is used up).
    if (waitUntil) current = await updateSaga(run.db, current, { nextAttemptAt: null });
    let retryAt: Date | null = null;
    const state = current;
    const outcome = await executeInSpan(state, step.name, index, attempt, run.parent, () => step.execute(run.deps, state.order), (failed) => {
      retryAt = nextAttemptAt(run.retry, state.createdAtMs, attempt, Date.now());
      return { retryAt, giveUpAt: new Date(state.createdAtMs + run.retry.giveUpAfterMs), reason: failed.reason };
    });
    // Stopping mid-attempt is not a verdict on the step: leave it for the next start to redo.
    if (outcome.kind === "failed" && run.signal.aborted) return null;
    if (outcome.kind === "failed" && retryAt) {
      current = await updateSaga(run.db, current, { stepAttempts: attempt, nextAttemptAt: retryAt, lastError: shortReason(outcome.reason) });
      continue;
    }
    const stepResults = { ...current.stepResults, [step.name]: recordOf(outcome, attempt) };
    const cleared = { stepAttempts: 0, nextAttemptAt: null, lastError: null, retryRequestedFor: null };
    if (outcome.kind === "succeeded") {
      const next = ORDER_SAGA_PLAN[index + 1];
      return updateSaga(run.db, current, { stepIndex: index + 1, currentStep: next?.name ?? null, stepResults, ...cleared });
    }
    const reason =
      outcome.kind === "failed"
        ? `gave up on ${step.name} after ${attempt} attempt(s) over ${Math.round((Date.now() - current.createdAtMs) / 1000)} s: ${outcome.reason}`
        : outcome.reason;
    return updateSaga(run.db, current, { status: "compensating", currentStep: null, reason: shortReason(reason), stepResults, ...cleared });
  }
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
