import { handleWhen, retry, ExponentialBackoff } from "cockatiel";
import { AppError } from "../../contracts/index.ts";
import { isTransient, type StepOutcome } from "../participants.ts";

/** One synchronous step of a sync or hybrid flow, and how to undo it (none for a pure check). */
export type SequenceStep = {
  name: string;
  run: () => Promise<StepOutcome>;
  undo?: (reason: string) => Promise<void>;
};

/** How a sequence ended: every step succeeded, or one failed and the earlier ones were undone. */
export type SequenceResult =
  | { ok: true }
  | { ok: false; reason: string; failedStep: string; undone: string[]; anySucceeded: boolean };

/**
 * An undo must happen, and a blip should not leave an order half-done: transient failures are
 * retried (the undo calls are idempotent) for ~8 s, longer than a dependency's breaker stays open
 * (5 s by default), then the error goes to the caller. Unlike the saga, a sync flow has no
 * durable state to finish the undo later: that is the trade-off this style shows.
 */
const undoPolicy = retry(handleWhen((error) => error instanceof AppError && isTransient(error)), {
  maxAttempts: 5,
  backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4000 }),
});

/**
 * Runs the steps in order. On the first that does not succeed, undoes what was done in reverse
 * order: every earlier step, and the failing one too when its outcome is unknown (`failed`:
 * it may have taken effect). Throws AppError when an undo keeps failing: the flow then needs a
 * person (or a retry by the caller), and saying so beats pretending it was undone.
 */
export async function runSequence(steps: readonly SequenceStep[]): Promise<SequenceResult> {
  const done: SequenceStep[] = [];
  for (const step of steps) {
    const outcome = await step.run();
    if (outcome.kind === "succeeded") {
      done.push(step);
      continue;
    }
    const toUndo = outcome.kind === "failed" ? [...done, step] : done;
    const undone = await undoAll(toUndo, outcome.reason);
    return { ok: false, reason: outcome.reason, failedStep: step.name, undone, anySucceeded: done.length > 0 };
  }
  return { ok: true };
}

async function undoAll(steps: readonly SequenceStep[], reason: string): Promise<string[]> {
  const undone: string[] = [];
  for (const step of [...steps].reverse()) {
    if (!step.undo) continue;
    const undo = step.undo;
    try {
      await undoPolicy.execute(() => undo(reason));
    } catch (error) {
      throw new AppError("UNAVAILABLE", `could not undo ${step.name} after "${reason}"`, { cause: error });
    }
    undone.push(step.name);
  }
  return undone;
}
