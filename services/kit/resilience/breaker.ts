import {
  BrokenCircuitError,
  EventEmitter,
  type IDefaultPolicyContext,
  type IFailureEvent,
  type IPolicy,
  type ISuccessEvent,
} from "cockatiel";
import type { BreakerState, DependencyPolicy } from "../../contracts/index.ts";

/** Milliseconds since some origin; injected so tests drive the breaker on a fake clock. */
export type Clock = { now(): number };
export const systemClock: Clock = { now: () => Date.now() };

/** Failure and slow-call shares of the breaker's current window. */
export type BreakerStats = { calls: number; failures: number; slowCalls: number; failureRate: number; slowCallRate: number };

/** One state change, with why, the window's rates at that moment and the window's length (ms). */
export type BreakerTransition = BreakerStats & { name: string; from: BreakerState; to: BreakerState; reason: string; at: number; windowMs: number };

export type BreakerSettings = Pick<
  DependencyPolicy,
  "windowMs" | "minimumCalls" | "failureRateThreshold" | "slowCallRateThreshold" | "slowCallDurationMs" | "openDurationMs" | "halfOpenPermits"
>;

export type BreakerOptions = {
  clock?: Clock;
  /** Which errors count against the dependency; others (business outcomes) count as answered calls. */
  isFailure: (error: unknown) => boolean;
  /** Called synchronously inside the call that caused the change (so it can write a span in its trace). */
  onTransition?: (transition: BreakerTransition) => void;
};

type Outcome = { at: number; failed: boolean; slow: boolean };
type Permit = { generation: number; state: BreakerState };

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/**
 * Circuit breaker with a sliding time window, failure-rate AND slow-call-rate thresholds, a
 * minimum number of calls, and a bounded number of half-open trial calls.
 *
 * Why not cockatiel's CircuitBreakerPolicy with a custom IBreaker: that policy hard-codes the
 * half-open state to exactly one trial call (concurrent callers wait on it) that closes the
 * circuit on its own success, and `IBreaker.success()` receives no duration, so neither bounded
 * half-open permits nor a slow-call rate can be expressed there. This class implements cockatiel's
 * `IPolicy` instead, so it still composes with cockatiel's `retry`, `timeout` and `wrap`, and it
 * rejects with cockatiel's `BrokenCircuitError` like the built-in breaker does.
 */
export class WindowBreaker implements IPolicy<IDefaultPolicyContext> {
  declare readonly _altReturn: never;
  private readonly successEmitter = new EventEmitter<ISuccessEvent>();
  private readonly failureEmitter = new EventEmitter<IFailureEvent>();
  readonly onSuccess = this.successEmitter.addListener;
  readonly onFailure = this.failureEmitter.addListener;
  private readonly clock: Clock;
  private current: BreakerState = "closed";
  /** Bumped on every transition; results of calls admitted under an older generation are ignored. */
  private generation = 0;
  private openedAt = 0;
  private trialsStarted = 0;
  private trialsSucceeded = 0;
  /** Outcomes in arrival order from `head`; counters kept alongside so stats are O(1). */
  private window: Outcome[] = [];
  private head = 0;
  private failures = 0;
  private slowCalls = 0;

  constructor(
    readonly name: string,
    private readonly settings: BreakerSettings,
    private readonly options: BreakerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** State as a caller would meet it now (an open breaker past its open duration reads half_open only once a call arrives). */
  get state(): BreakerState {
    return this.current;
  }

  /** Rates over the current window (closed state); empty while open or half-open. */
  stats(): BreakerStats {
    this.prune();
    const calls = this.window.length - this.head;
    const { failures, slowCalls } = this;
    return { calls, failures, slowCalls, failureRate: calls ? failures / calls : 0, slowCallRate: calls ? slowCalls / calls : 0 };
  }

  /** Runs `fn` if the breaker admits it; otherwise throws `BrokenCircuitError` without calling it. */
  async execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal = new AbortController().signal): Promise<T> {
    const permit = this.acquire();
    const started = this.clock.now();
    try {
      const value = await fn({ signal });
      const duration = this.clock.now() - started;
      this.successEmitter.emit({ duration });
      this.record(permit, { at: this.clock.now(), failed: false, slow: duration >= this.settings.slowCallDurationMs }, "");
      return value;
    } catch (error) {
      const duration = this.clock.now() - started;
      const failed = this.options.isFailure(error);
      this.failureEmitter.emit({ duration, handled: failed, reason: { error: error as Error } });
      const slow = duration >= this.settings.slowCallDurationMs;
      this.record(permit, { at: this.clock.now(), failed, slow }, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private acquire(): Permit {
    if (this.current === "open") {
      if (this.clock.now() - this.openedAt < this.settings.openDurationMs) throw new BrokenCircuitError();
      this.transition("half_open", `open for ${this.settings.openDurationMs} ms, letting ${this.settings.halfOpenPermits} trial calls through`);
    }
    if (this.current === "half_open") {
      if (this.trialsStarted >= this.settings.halfOpenPermits) throw new BrokenCircuitError();
      this.trialsStarted += 1;
    }
    return { generation: this.generation, state: this.current };
  }

  private record(permit: Permit, outcome: Outcome, errorMessage: string): void {
    if (permit.generation !== this.generation) return;
    if (permit.state === "half_open") return this.recordTrial(outcome, errorMessage);
    this.window.push(outcome);
    if (outcome.failed) this.failures += 1;
    if (outcome.slow) this.slowCalls += 1;
    const stats = this.stats();
    if (stats.calls < this.settings.minimumCalls) return;
    if (stats.failureRate >= this.settings.failureRateThreshold) {
      this.transition("open", `failure rate ${percent(stats.failureRate)} >= ${percent(this.settings.failureRateThreshold)} over ${stats.calls} calls`, stats);
    } else if (stats.slowCallRate >= this.settings.slowCallRateThreshold) {
      this.transition("open", `slow-call rate ${percent(stats.slowCallRate)} >= ${percent(this.settings.slowCallRateThreshold)} over ${stats.calls} calls`, stats);
    }
  }

  /** Any failed or slow trial reopens at once; the circuit closes when every permitted trial succeeded. */
  private recordTrial(outcome: Outcome, errorMessage: string): void {
    if (outcome.failed) return this.transition("open", `trial call failed: ${errorMessage}`);
    if (outcome.slow) return this.transition("open", `trial call slow (>= ${this.settings.slowCallDurationMs} ms)`);
    this.trialsSucceeded += 1;
    if (this.trialsSucceeded >= this.settings.halfOpenPermits) {
      this.transition("closed", `${this.trialsSucceeded} of ${this.settings.halfOpenPermits} trial calls succeeded`);
    }
  }

  private transition(to: BreakerState, reason: string, stats: BreakerStats = this.stats()): void {
    const from = this.current;
    this.current = to;
    this.generation += 1;
    this.trialsStarted = 0;
    this.trialsSucceeded = 0;
    this.window = [];
    this.head = 0;
    this.failures = 0;
    this.slowCalls = 0;
    if (to === "open") this.openedAt = this.clock.now();
    this.options.onTransition?.({ name: this.name, from, to, reason, at: this.clock.now(), windowMs: this.settings.windowMs, ...stats });
  }

  /** Drops outcomes older than the window. */
  private prune(): void {
    const oldest = this.clock.now() - this.settings.windowMs;
    while (this.head < this.window.length && this.window[this.head]!.at < oldest) {
      const dropped = this.window[this.head]!;
      if (dropped.failed) this.failures -= 1;
      if (dropped.slow) this.slowCalls -= 1;
      this.head += 1;
    }
    // Compact now and then rather than shifting on every call.
    if (this.head > 1024 && this.head * 2 > this.window.length) {
      this.window = this.window.slice(this.head);
      this.head = 0;
    }
  }
}
