import { handleWhen, retry, ExponentialBackoff } from "cockatiel";
import { AppError } from "../../contracts/index.ts";
import { isTransient, type StepOutcome } from "../domain/step-outcome.ts";

/** One synchronous step of a sync or hybrid flow, and how to undo it (none for a pure check). */
export type SequenceStep = {
  name: string;
  run: () => Promise<StepOutcome>;
  /** Idempotent; resolves true when it undid something, false when there was nothing to undo. */
  undo?: (reason: string) => Promise<boolean>;
};

/**
 * How a sequence ended:
 * - ok: every step succeeded;
 * - refused: a step said no (declined, out of stock, too big) and everything done before it was
 *   undone (`anyUndone`: something had taken effect);
 * - unknown: a step got no answer (timeout, refused connection, open breaker). Its effect is
 *   unknown, so nothing is final: the order waits and the recovery sweeper runs the flow again;
 * - undo-failed: a step said no, but an undo got no answer. The sweeper finishes the undoing.
 */
export type SequenceResult =
  | { ok: true }
  | { ok: false; outcome: "refused"; reason: string; failedStep: string; undone: string[]; anyUndone: boolean }
  | { ok: false; outcome: "unknown"; reason: string; failedStep: string }
  | { ok: false; outcome: "undo-failed"; reason: string; failedStep: string; undoError: string };

/**
 * An undo should not leave an order half-done on a blip: transient failures are retried briefly
 * (the undo calls are idempotent). Longer outages are the recovery sweeper's: it retries durably.
 */
const undoPolicy = retry(handleWhen((error) => error instanceof AppError && isTransient(error)), {
  maxAttempts: 2,
  backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 1000 }),
});

/**
 * Runs the steps in order. On a refusal, undoes what was done in reverse order. On a step
 * without an answer, stops without undoing: the outcome is unknown and the flow is resumed later
 * (every step is idempotent per order), so a short outage delays the order instead of failing it.
 */
export async function runSequence(steps: readonly SequenceStep[]): Promise<SequenceResult> {
  const done: SequenceStep[] = [];
  for (const step of steps) {
    const outcome = await step.run();
    if (outcome.kind === "succeeded") {
      done.push(step);
      continue;
    }
    if (outcome.kind === "failed") return { ok: false, outcome: "unknown", reason: outcome.reason, failedStep: step.name };
    try {
      const undone = await undoAll(done, outcome.reason);
      return { ok: false, outcome: "refused", reason: outcome.reason, failedStep: step.name, undone, anyUndone: undone.length > 0 };
    } catch (error) {
      const undoError = error instanceof Error ? error.message : String(error);
      return { ok: false, outcome: "undo-failed", reason: outcome.reason, failedStep: step.name, undoError };
    }
  }
  return { ok: true };
}

/** Undoes `steps` latest first; returns the names of those that undid something. Throws on trouble. */
export async function undoAll(steps: readonly Pick<SequenceStep, "name" | "undo">[], reason: string): Promise<string[]> {
  const undone: string[] = [];
  for (const step of [...steps].reverse()) {
    if (!step.undo) continue;
    const undo = step.undo;
    let didSomething: boolean;
    try {
      didSomething = await undoPolicy.execute(() => undo(reason));
    } catch (error) {
      throw new AppError("UNAVAILABLE", `could not undo ${step.name} after "${reason}"`, { cause: error });
    }
    if (didSomething) undone.push(step.name);
  }
  return undone;
}
