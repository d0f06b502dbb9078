import {
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
  type TimeoutPolicy,
} from "cockatiel";
import type { BreakerState, DependencyPolicy } from "../../contracts/index.ts";
import { WindowBreaker, type BreakerTransition, type Clock } from "./breaker.ts";
import { isNeverSent, isTransientError } from "./classify.ts";

/** What one attempt of a logical call knows about itself. */
export type AttemptInfo = {
  /** 1-based. */
  attempt: number;
  /** Backoff waited before this attempt (0 for the first). */
  delayMs: number;
  /** The breaker's state when it admitted this attempt. */
  breakerState: BreakerState;
  /** Aborted when the attempt's timeout fires. */
  signal: AbortSignal;
};

/** Hooks a caller (the tRPC link) uses to write spans, and what kind of call this is. */
export type CallHooks = {
  /** A mutation of a dependency whose mutations are not idempotent: retried only if never sent. */
  isUnsafeToRepeat?: boolean;
  /** The breaker short-circuited attempt number `attempt`; the call will not be retried. */
  onRejected?: (info: { attempt: number; delayMs: number; breakerState: BreakerState }) => void;
};

/**
 * The composed policy of one dependency: retry( breaker( timeout( attempt ) ) ) with cockatiel.
 * Retry is outermost so each attempt counts in the breaker, and an open breaker ends the retries
 * (a `BrokenCircuitError` is not transient). The breaker and timeout are shared by all calls to the
 * dependency; the retry policy is built per call so its `onRetry` delays belong to that call only.
 */
export class ResiliencePolicy {
  readonly breaker: WindowBreaker;
  private readonly timeout: TimeoutPolicy;

  constructor(
    readonly name: string,
    readonly settings: DependencyPolicy,
    options: { clock?: Clock; onTransition?: (transition: BreakerTransition) => void } = {},
  ) {
    this.breaker = new WindowBreaker(name, settings, { clock: options.clock, isFailure: isTransientError, onTransition: options.onTransition });
    this.timeout = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
  }

  /** Runs `attempt` under the policies; throws the last error when every attempt failed. */
  async execute<T>(attempt: (info: AttemptInfo) => Promise<T>, hooks: CallHooks = {}): Promise<T> {
    const delays: number[] = [];
    const retryable = hooks.isUnsafeToRepeat ? (e: Error) => isTransientError(e) && isNeverSent(e) : isTransientError;
    const retryPolicy = retry(handleWhen(retryable), {
      maxAttempts: this.settings.maxAttempts - 1,
      backoff: new ExponentialBackoff({
        initialDelay: this.settings.retryInitialDelayMs,
        maxDelay: this.settings.retryMaxDelayMs,
        generator: decorrelatedJitterGenerator,
      }),
    });
    retryPolicy.onRetry(({ attempt: next, delay }) => {
      delays[next] = delay;
    });
    const perAttempt = wrap(this.breaker, this.timeout);
    return retryPolicy.execute(async ({ attempt: index }) => {
      const delayMs = Math.round(delays[index] ?? 0);
      try {
        return await perAttempt.execute(({ signal }) =>
          attempt({ attempt: index + 1, delayMs, breakerState: this.breaker.state, signal }),
        );
      } catch (error) {
        if (isBrokenCircuitError(error)) hooks.onRejected?.({ attempt: index + 1, delayMs, breakerState: this.breaker.state });
        throw error;
      }
    });
  }
}
