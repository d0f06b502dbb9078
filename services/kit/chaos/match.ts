import type { ChaosExperiment, ChaosFault } from "../../contracts/index.ts";
import { isExperimentActive } from "../../shared/chaos-store.ts";

/** An active fault as the code that injects it needs it. */
export type ActiveFault = { experimentId: string; fault: ChaosFault; rate: number; latencyMs: number };

const toFault = (e: ChaosExperiment): ActiveFault => ({ experimentId: e.id, fault: e.fault, rate: e.rate, latencyMs: e.latencyMs });

/**
 * Faults a client in `caller` meets when calling `dependency`: faults on that link
 * (`service = caller, dependency`) of any sync kind, plus the dependency being `down` as a whole.
 */
export function matchClientFaults(experiments: ChaosExperiment[], caller: string | null, dependency: string, now = Date.now()): ActiveFault[] {
  return experiments
    .filter((e) => isExperimentActive(e, now) && e.fault !== "poison")
    .filter((e) => (caller !== null && e.service === caller && e.dependency === dependency) || (e.service === dependency && !e.dependency && e.fault === "down"))
    .map(toFault);
}

/** Faults `service` injects into its own handlers (every caller sees them): error and latency. */
export function matchServerFaults(experiments: ChaosExperiment[], service: string | null, now = Date.now()): ActiveFault[] {
  if (!service) return [];
  return experiments
    .filter((e) => isExperimentActive(e, now) && e.service === service && !e.dependency)
    .filter((e) => e.fault === "error" || e.fault === "latency")
    .map(toFault);
}

/** The poison fault of `service`'s consumer on `queue`, if any. */
export function matchConsumerFault(experiments: ChaosExperiment[], service: string, queue: string, now = Date.now()): ActiveFault | null {
  const found = experiments.find((e) => isExperimentActive(e, now) && e.fault === "poison" && e.service === service && e.queue === queue);
  return found ? toFault(found) : null;
}

/** Rolls the dice for a rate-based fault (`rate` 1 always fires). */
export function shouldInject(fault: ActiveFault, random: () => number = Math.random): boolean {
  return fault.rate >= 1 || random() < fault.rate;
}
