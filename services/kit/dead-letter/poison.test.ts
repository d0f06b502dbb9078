import type { Job } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import type { ChaosExperiment } from "../../contracts/index.ts";
import { setChaosSnapshotForTest } from "../chaos/agent.ts";
import { applyPoisonFault, isPoisoned, PoisonMessageError } from "./poison.ts";

const experiment = (over: Partial<ChaosExperiment>): ChaosExperiment => ({
  id: "exp-0000abcd",
  service: "notification",
  dependency: null,
  fault: "poison",
  rate: 1,
  latencyMs: 0,
  queue: "order-events",
  startedAt: new Date(Date.now() - 1000).toISOString(),
  endsAt: null,
  endedAt: null,
  ...over,
});
const job = (id: string) => ({ id }) as Job;

afterEach(() => setChaosSnapshotForTest(null, []));

describe("applyPoisonFault", () => {
  it("poisons the consumer's messages on the targeted topic or queue, and no one else's", () => {
    setChaosSnapshotForTest("notification", [experiment({})]);
    expect(() => applyPoisonFault("order-events.notification", job("1"))).toThrow(PoisonMessageError);
    expect(() => applyPoisonFault("shipping-events.notification", job("1"))).not.toThrow();
    setChaosSnapshotForTest("payment", [experiment({})]);
    expect(() => applyPoisonFault("order-events.payment", job("1"))).not.toThrow();
  });

  it("does nothing once the experiment ended or without a chaos agent", () => {
    setChaosSnapshotForTest("notification", [experiment({ endedAt: new Date().toISOString() })]);
    expect(() => applyPoisonFault("order-events.notification", job("1"))).not.toThrow();
    setChaosSnapshotForTest(null, []);
    expect(() => applyPoisonFault("order-events.notification", job("1"))).not.toThrow();
  });
});

describe("isPoisoned", () => {
  it("decides per message (same answer on every attempt) and matches the rate roughly", () => {
    const fault = { experimentId: "exp-0000abcd", fault: "poison" as const, rate: 0.3, latencyMs: 0 };
    const ids = Array.from({ length: 2000 }, (_, i) => String(i));
    const poisoned = ids.filter((id) => isPoisoned({ id }, fault));
    expect(poisoned.length / ids.length).toBeGreaterThan(0.25);
    expect(poisoned.length / ids.length).toBeLessThan(0.35);
    expect(ids.filter((id) => isPoisoned({ id }, fault))).toEqual(poisoned);
  });
});
