import { describe, expect, it } from "vitest";
import type { InstanceStatus } from "../../contracts/index.ts";
import { CONSECUTIVE_FAILURES_TO_EJECT, ServiceEndpoints } from "./balancer.ts";

const instance = (instanceId: string, port: number): InstanceStatus => ({
  service: "inventory", instanceId, host: "127.0.0.1", port, version: "1", pid: 1,
  startedAt: "2026-01-01T00:00:00Z", lastHeartbeatAt: "2026-01-01T00:00:00Z", alive: true,
});

function twoInstances(): ServiceEndpoints {
  const endpoints = new ServiceEndpoints("inventory");
  endpoints.update([instance("a", 1), instance("b", 2)]);
  return endpoints;
}

describe("ServiceEndpoints", () => {
  it("alternates between idle instances (round-robin tie-break)", () => {
    const endpoints = twoInstances();
    const picks = Array.from({ length: 10 }, () => endpoints.pick(0)!.endpoint.instanceId);
    expect(picks.filter((p) => p === "a")).toHaveLength(5);
  });

  it("prefers the instance with fewer requests in flight", () => {
    const endpoints = twoInstances();
    endpoints.pick(0)!.endpoint.outstanding = 3;
    for (let i = 0; i < 4; i += 1) expect(endpoints.pick(0)!.endpoint.outstanding).toBe(0);
  });

  it("skips an ejected instance until its ejection ends, and uses all when all are ejected", () => {
    const endpoints = twoInstances();
    const a = endpoints.candidates(0).find((e) => e.instanceId === "a")!;
    endpoints.eject(a, 0, 1000);
    expect(new Set(Array.from({ length: 4 }, () => endpoints.pick(500)!.endpoint.instanceId))).toEqual(new Set(["b"]));
    expect(endpoints.candidates(1000).map((e) => e.instanceId)).toEqual(["a", "b"]);
    const b = endpoints.candidates(0).find((e) => e.instanceId === "b")!;
    endpoints.eject(a, 0, 1000);
    endpoints.eject(b, 0, 1000);
    expect(endpoints.candidates(10)).toHaveLength(2);
  });

  it("ejects after consecutive 5xx answers only", () => {
    const endpoints = twoInstances();
    const a = endpoints.candidates(0)[0]!;
    for (let i = 1; i < CONSECUTIVE_FAILURES_TO_EJECT; i += 1) endpoints.recordOutcome(a, false, 0, 1000);
    endpoints.recordOutcome(a, true, 0, 1000);
    endpoints.recordOutcome(a, false, 0, 1000);
    expect(a.ejectedUntil).toBe(0);
    for (let i = 1; i < CONSECUTIVE_FAILURES_TO_EJECT; i += 1) endpoints.recordOutcome(a, false, 0, 1000);
    expect(a.ejectedUntil).toBe(1000);
  });

  it("keeps counters of instances that stay and excludes instances already tried", () => {
    const endpoints = twoInstances();
    endpoints.candidates(0)[0]!.outstanding = 2;
    endpoints.update([instance("a", 1)]);
    expect(endpoints.candidates(0)[0]!.outstanding).toBe(2);
    expect(endpoints.pick(0, new Set(["a"]))).toBeNull();
  });
});
