import { BrokenCircuitError } from "cockatiel";
import { describe, expect, it } from "vitest";
import { WindowBreaker, type BreakerSettings, type BreakerTransition } from "./breaker.ts";

const SETTINGS: BreakerSettings = {
  windowMs: 10_000,
  minimumCalls: 4,
  failureRateThreshold: 0.5,
  slowCallRateThreshold: 0.75,
  slowCallDurationMs: 100,
  openDurationMs: 5_000,
  halfOpenPermits: 2,
};

class Boom extends Error {}
class BusinessNo extends Error {}

/** A breaker on a fake clock; `call` runs one call that fails, succeeds or takes `ms`. */
function setup(settings: Partial<BreakerSettings> = {}) {
  let now = 1_000_000;
  const transitions: BreakerTransition[] = [];
  const breaker = new WindowBreaker("payment", { ...SETTINGS, ...settings }, {
    clock: { now: () => now },
    isFailure: (error) => error instanceof Boom,
    onTransition: (t) => transitions.push(t),
  });
  const call = (outcome: "ok" | "fail" | "no", ms = 0) =>
    breaker.execute(async () => {
      now += ms;
      if (outcome === "fail") throw new Boom("down");
      if (outcome === "no") throw new BusinessNo("declined");
      return "done";
    });
  const settle = (outcome: "ok" | "fail" | "no", ms = 0) => call(outcome, ms).then(() => "ok", (e: unknown) => e);
  return { breaker, transitions, call, settle, advance: (ms: number) => void (now += ms) };
}

describe("WindowBreaker", () => {
  it("does not judge fewer than minimumCalls, then opens exactly at the failure-rate threshold", async () => {
    const { breaker, transitions, settle } = setup();
    for (let i = 0; i < 3; i += 1) await settle("fail");
    expect(breaker.state).toBe("closed");
    await settle("fail");
    expect(breaker.state).toBe("open");
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ from: "closed", to: "open", calls: 4, failureRate: 1 });
    expect(transitions[0]!.reason).toMatch(/failure rate 100% >= 50% over 4 calls/);
  });

  it("stays closed below the threshold and opens when the rate reaches it", async () => {
    const { breaker, settle } = setup();
    await settle("ok");
    await settle("ok");
    await settle("ok");
    await settle("fail"); // 1/4 = 25%
    expect(breaker.state).toBe("closed");
    await settle("fail"); // 2/5 = 40%
    expect(breaker.state).toBe("closed");
    await settle("fail"); // 3/6 = 50%
    expect(breaker.state).toBe("open");
  });

  it("counts business outcomes as answered calls, not failures", async () => {
    const { breaker, settle } = setup();
    for (let i = 0; i < 10; i += 1) expect(await settle("no")).toBeInstanceOf(BusinessNo);
    expect(breaker.state).toBe("closed");
    expect(breaker.stats()).toMatchObject({ calls: 10, failures: 0 });
  });

  it("forgets outcomes that left the sliding window", async () => {
    const { breaker, settle, advance } = setup();
    for (let i = 0; i < 3; i += 1) await settle("fail");
    advance(10_001);
    await settle("fail");
    expect(breaker.state).toBe("closed");
    expect(breaker.stats().calls).toBe(1);
  });

  it("opens on the slow-call rate even when every call succeeds", async () => {
    const { breaker, transitions, settle } = setup();
    await settle("ok", 100);
    await settle("ok", 150);
    await settle("ok", 10);
    expect(breaker.state).toBe("closed");
    await settle("ok", 99); // 2 of 4 slow: 50% < 75%
    expect(breaker.state).toBe("closed");
    await settle("ok", 100); // 3 of 5 = 60%
    await settle("ok", 100); // 4 of 6 = 67%
    expect(breaker.state).toBe("closed");
    await settle("ok", 100); // 5 of 7 = 71%
    await settle("ok", 100); // 6 of 8 = 75%
    expect(breaker.state).toBe("open");
    expect(transitions[0]!.reason).toMatch(/slow-call rate 75% >= 75% over 8 calls/);
  });

  it("rejects without calling while open, then lets exactly halfOpenPermits trial calls through", async () => {
    const { breaker, transitions, settle, advance } = setup();
    for (let i = 0; i < 4; i += 1) await settle("fail");
    let called = 0;
    await expect(breaker.execute(() => void (called += 1))).rejects.toBeInstanceOf(BrokenCircuitError);
    advance(4_999);
    await expect(breaker.execute(() => void (called += 1))).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(called).toBe(0);
    advance(1);
    // Two trials in flight at once use both permits; a third concurrent call is rejected.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = breaker.execute(() => gate);
    const second = breaker.execute(() => gate);
    expect(breaker.state).toBe("half_open");
    await expect(breaker.execute(() => "third")).rejects.toBeInstanceOf(BrokenCircuitError);
    release();
    await Promise.all([first, second]);
    expect(breaker.state).toBe("closed");
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual(["closed->open", "open->half_open", "half_open->closed"]);
    expect(transitions[2]!.reason).toBe("2 of 2 trial calls succeeded");
  });

  it("reopens on a failed trial call and waits the open duration again", async () => {
    const { breaker, transitions, settle, advance } = setup();
    for (let i = 0; i < 4; i += 1) await settle("fail");
    advance(5_000);
    await settle("ok");
    expect(breaker.state).toBe("half_open");
    await settle("fail");
    expect(breaker.state).toBe("open");
    expect(transitions.at(-1)).toMatchObject({ from: "half_open", to: "open" });
    expect(transitions.at(-1)!.reason).toMatch(/^trial call failed: down/);
    advance(4_999);
    expect(await settle("ok")).toBeInstanceOf(BrokenCircuitError);
  });

  it("reopens on a slow trial call", async () => {
    const { breaker, settle, advance } = setup();
    for (let i = 0; i < 4; i += 1) await settle("fail");
    advance(5_000);
    await settle("ok", 100);
    expect(breaker.state).toBe("open");
  });

  it("starts a fresh window after closing", async () => {
    const { breaker, settle, advance } = setup();
    for (let i = 0; i < 4; i += 1) await settle("fail");
    advance(5_000);
    await settle("ok");
    await settle("ok");
    expect(breaker.state).toBe("closed");
    expect(breaker.stats().calls).toBe(0);
    for (let i = 0; i < 3; i += 1) await settle("fail");
    expect(breaker.state).toBe("closed");
  });

  it("ignores results of calls admitted before a state change", async () => {
    const { breaker, settle } = setup({ minimumCalls: 2 });
    let release!: () => void;
    const slowFail = breaker.execute(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      throw new Boom("late");
    });
    await settle("fail");
    await settle("fail");
    expect(breaker.state).toBe("open");
    release();
    await expect(slowFail).rejects.toBeInstanceOf(Boom);
    expect(breaker.state).toBe("open");
    expect(breaker.stats().calls).toBe(0);
  });
});
