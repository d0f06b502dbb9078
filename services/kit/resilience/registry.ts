import { context, SpanKind, trace } from "@opentelemetry/api";
import { Attr, type DependencyPolicyInput } from "../../contracts/index.ts";
import { chaosService } from "../chaos/agent.ts";
import type { BreakerStats, BreakerTransition } from "./breaker.ts";
import { ResiliencePolicy } from "./policy.ts";
import { resolveDependencyPolicy } from "./settings.ts";

/** One policy (and so one breaker) per dependency per process, shared by every client of it. */
const policies = new Map<string, ResiliencePolicy>();

/** The rate attributes every breaker span carries. */
export function breakerRateAttributes(stats: BreakerStats) {
  return {
    [Attr.BREAKER_FAILURE_RATE]: Number(stats.failureRate.toFixed(3)),
    [Attr.BREAKER_SLOW_RATE]: Number(stats.slowCallRate.toFixed(3)),
    [Attr.BREAKER_WINDOW_CALLS]: stats.calls,
  };
}

/**
 * Records a state change in the trace of the call that caused it: a short INTERNAL span
 * `breaker <name> <from>→<to>` (child of the active call span) and an event on that call span.
 */
export function recordTransition(transition: BreakerTransition): void {
  const attributes = {
    [Attr.BREAKER_NAME]: transition.name,
    [Attr.BREAKER_FROM_STATE]: transition.from,
    [Attr.BREAKER_TO_STATE]: transition.to,
    [Attr.BREAKER_STATE]: transition.to,
    [Attr.BREAKER_REASON]: transition.reason,
    [Attr.BREAKER_WINDOW_MS]: transition.windowMs,
    ...breakerRateAttributes(transition),
  };
  trace.getActiveSpan()?.addEvent("breaker.state_change", attributes);
  const span = trace
    .getTracer("switchyard-resilience")
    .startSpan(`breaker ${transition.name} ${transition.from}→${transition.to}`, { kind: SpanKind.INTERNAL, attributes }, context.active());
  span.end();
  console.log(`breaker ${chaosService() ?? "?"}→${transition.name}: ${transition.from} -> ${transition.to} (${transition.reason})`);
}

/**
 * The policy for calls to `dependency`. The first caller's `overrides` fix its settings for the
 * process; a later caller asking for different overrides gets an error rather than silently
 * sharing a breaker configured otherwise.
 */
export function getResiliencePolicy(dependency: string, overrides?: DependencyPolicyInput): ResiliencePolicy {
  const settings = resolveDependencyPolicy(dependency, overrides);
  const existing = policies.get(dependency);
  if (existing) {
    if (overrides && JSON.stringify(existing.settings) !== JSON.stringify(settings)) {
      throw new Error(`resilience policy for ${dependency} already exists with other settings`);
    }
    return existing;
  }
  const policy = new ResiliencePolicy(dependency, settings, { onTransition: recordTransition });
  policies.set(dependency, policy);
  return policy;
}

/** For tests: forget every policy (and breaker) of this process. */
export function resetResiliencePoliciesForTest(): void {
  policies.clear();
}
