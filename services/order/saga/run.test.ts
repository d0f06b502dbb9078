import { describe, expect, it } from "vitest";
import { nextAttemptAt, retryDelayMs, stepsToCompensate } from "./run.ts";
import type { SagaState, StepRecord } from "./store.ts";

const ok: StepRecord = { outcome: "succeeded", attempts: 1, at: "2026-11-22T08:00:00.000Z" };
const refused: StepRecord = { outcome: "failed", reason: "declined", attempts: 1, at: "2026-11-22T08:00:01.000Z" };
const unknown: StepRecord = { ...refused, reason: "payment unreachable", uncertain: true, attempts: 4 };

function saga(stepResults: SagaState["stepResults"], compensated: string[] = []): SagaState {
  return {
    id: "s", order: { id: "o", customerId: "c", productId: "p", quantity: 1, amountCents: 100, style: "saga" },
    status: "compensating", currentStep: null, stepIndex: 0, stepResults, compensated, reason: "x",
    traceparent: null, tracestate: null, version: 3, createdAtMs: 0, stepAttempts: 0, nextAttemptAt: null, lastError: null,
  };
}

describe("stepsToCompensate", () => {
  it("undoes the steps that succeeded, latest first, skipping the credit check (nothing to undo)", () => {
    const plan = stepsToCompensate(saga({ reserveStock: ok, checkCredit: ok, chargePayment: ok, createShipment: refused }));
    expect(plan).toEqual([{ name: "chargePayment", index: 2 }, { name: "reserveStock", index: 0 }]);
  });

  it("also undoes a failed step whose outcome is unknown (it may have taken effect)", () => {
    const plan = stepsToCompensate(saga({ reserveStock: ok, checkCredit: ok, chargePayment: unknown }));
    expect(plan.map((s) => s.name)).toEqual(["chargePayment", "reserveStock"]);
  });

  it("skips what a previous run already compensated (resume after a crash)", () => {
    const plan = stepsToCompensate(saga({ reserveStock: ok, checkCredit: ok, chargePayment: ok, createShipment: refused }, ["chargePayment"]));
    expect(plan.map((s) => s.name)).toEqual(["reserveStock"]);
  });

  it("has nothing to do when the first step was refused", () => {
    expect(stepsToCompensate(saga({ reserveStock: refused }))).toEqual([]);
  });
});

describe("retry schedule of a step without an answer", () => {
  const settings = { giveUpAfterMs: 60_000, initialDelayMs: 200, maxDelayMs: 10_000 };

  it("backs off exponentially (with jitter), capped at the maximum delay", () => {
    const delays = Array.from({ length: 12 }, (_, n) => retryDelayMs(settings, n + 1));
    expect(delays[0]).toBeLessThan(1_000);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(0);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(settings.maxDelayMs);
    expect(Math.max(...delays.slice(6))).toBeGreaterThan(2_000);
  });

  it("schedules the next attempt before the give-up deadline, and none after it", () => {
    const created = 1_000_000;
    const next = nextAttemptAt(settings, created, 1, created + 100);
    expect(next).not.toBeNull();
    expect(next!.getTime()).toBeGreaterThan(created + 100);
    expect(nextAttemptAt(settings, created, 5, created + 59_999)).toBeNull();
  });
});
