import { describe, expect, it } from "vitest";
import { StoredSpanSchema } from "../store/types.ts";
import { buildBreakers, readBreakerWindowMs } from "./build-breakers.ts";
import fixture from "./fixtures/breaker-flaps.json" with { type: "json" };

const spans = fixture.spans.map((span) => StoredSpanSchema.parse(span));
const window = { fromNs: BigInt(fixture.fromNs), toNs: BigInt(fixture.toNs) };
const S = 1_000_000_000n;
const at = (seconds: number) => (BigInt(fixture.fromNs) + BigInt(Math.round(seconds * 1000)) * (S / 1000n)).toString();

describe("buildBreakers", () => {
  const cards = buildBreakers(spans, window);
  const payment = cards.find((c) => c.key === "order→payment")!;

  it("makes one card per caller and dependency, ignoring spans without a breaker", () => {
    expect(cards.map((c) => c.key)).toEqual(["order→inventory", "order→payment", "order→shipping"]);
  });

  it("counts calls, failures, slow calls and short-circuits of the window", () => {
    expect(payment).toMatchObject({ calls: 12, failures: 6, slowCalls: 1, shortCircuits: 3 });
    expect(payment.failureRate).toBeCloseTo(0.5);
  });

  it("replays the transitions in order, each linked to the trace that caused it", () => {
    expect(payment.transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      "closed->open", "open->half_open", "half_open->open", "open->half_open", "half_open->closed",
    ]);
    const opened = payment.transitions[0]!;
    expect(opened.reason).toMatch(/failure rate 71%/);
    const cause = spans.find((s) => s.traceId === opened.traceId && s.kind === "CLIENT")!;
    expect(cause.status.code).toBe("ERROR");
    expect(cause.attributes["app.chaos.experiment_id"]).toBe("exp-0badc0de");
  });

  it("draws the strip as contiguous segments over the window", () => {
    expect(payment.segments.map((s) => s.state)).toEqual(["closed", "open", "half_open", "open", "half_open", "closed"]);
    expect(payment.segments[0]!.startNs).toBe(fixture.fromNs);
    expect(payment.segments.at(-1)!.endNs).toBe(fixture.toNs);
    for (let i = 1; i < payment.segments.length; i += 1) {
      expect(payment.segments[i]!.startNs).toBe(payment.segments[i - 1]!.endNs);
      expect(payment.segments[i]!.transition).not.toBeNull();
    }
    expect(payment.segments[1]!.startNs).toBe(at(14.001));
  });

  it("reports the state now and since when", () => {
    expect(payment.state).toBe("closed");
    expect(payment.stateSinceNs).toBe(at(31.001));
    expect(payment.lastReason).toBe("3 of 3 trial calls succeeded");
  });

  it("a breaker without transitions takes its state from the call spans", () => {
    const inventory = cards.find((c) => c.key === "order→inventory")!;
    expect(inventory).toMatchObject({ state: "closed", calls: 2, failures: 0, transitions: [] });
    expect(inventory.segments).toHaveLength(1);
  });

  it("shows a change no transition explains (caller restarted) without a link", () => {
    const shipping = cards.find((c) => c.key === "order→shipping")!;
    expect(shipping.segments.map((s) => [s.state, s.transition])).toEqual([["open", null], ["closed", null]]);
    expect(shipping.state).toBe("closed");
  });

  it("reads an open breaker as open while calls are short-circuited", () => {
    const cut = spans.filter((s) => BigInt(s.startTimeUnixNano) < BigInt(at(17)));
    const early = buildBreakers(cut, window).find((c) => c.key === "order→payment")!;
    expect(early.state).toBe("open");
    expect(early.shortCircuits).toBe(2);
  });

  it("lists every transition, each with the span that records it and the breaker's own window size", () => {
    // A breaker flapping 20 times: none is dropped (the page pages them, the list never trims).
    const opened = spans.find((s) => s.spanId === payment.transitions[0]!.spanId)!;
    const flaps = Array.from({ length: 20 }, (_, i) => ({
      ...opened,
      spanId: `f${String(i).padStart(15, "0")}`,
      startTimeUnixNano: (BigInt(fixture.fromNs) + (BigInt(80 + i) * S) / 2n).toString(),
      attributes: { ...opened.attributes, "app.breaker.from_state": i % 2 ? "open" : "closed", "app.breaker.to_state": i % 2 ? "closed" : "open", "app.breaker.state": i % 2 ? "closed" : "open" },
    }));
    const flapping = buildBreakers([...spans, ...flaps], window).find((c) => c.key === "order→payment")!;
    expect(flapping.transitions).toHaveLength(25);
    expect(flapping.transitions.slice(-20).map((t) => t.spanId)).toEqual(flaps.map((f) => f.spanId));
    expect(payment.transitions[0]).toMatchObject({ spanId: "0000000000000008", windowCalls: 5, failureRate: 0.714 });
    expect(opened.name).toBe("breaker payment closed→open");
  });

  it("names the breaker's own window from app.breaker.window_ms, the newest span's value winning", () => {
    expect(payment.breakerWindowMs).toBeNull();
    expect(payment.transitions[0]!.windowMs).toBeNull();
    const paymentSpans = spans.filter((s) => s.attributes["app.breaker.name"] === "payment");
    const withWindow = spans.map((s) => (s.attributes["app.breaker.name"] === "payment" ? { ...s, attributes: { ...s.attributes, "app.breaker.window_ms": 10_000 } } : s));
    // The newest payment span (last in time) says 5 s: settings changed on a restart.
    const newest = paymentSpans.reduce((a, b) => (BigInt(a.startTimeUnixNano) >= BigInt(b.startTimeUnixNano) ? a : b));
    const changed = withWindow.map((s) => (s.spanId === newest.spanId && s.traceId === newest.traceId ? { ...s, attributes: { ...s.attributes, "app.breaker.window_ms": 5_000 } } : s));
    const card = buildBreakers([...changed].reverse(), window).find((c) => c.key === "order→payment")!;
    expect(card.breakerWindowMs).toBe(5_000);
    expect(card.transitions.map((t) => t.windowMs)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(buildBreakers(withWindow, window).find((c) => c.key === "order→payment")!.breakerWindowMs).toBe(10_000);
    expect(buildBreakers(withWindow, window).find((c) => c.key === "order→inventory")!.breakerWindowMs).toBeNull();
  });

  it("reads app.breaker.window_ms only as a positive whole number of milliseconds", () => {
    expect(readBreakerWindowMs({ "app.breaker.window_ms": 10_000 })).toBe(10_000);
    expect(readBreakerWindowMs({ "app.breaker.window_ms": "10000" })).toBe(10_000);
    for (const bad of [undefined, null, 0, -5, 1.5, "10 s", "", true, Number.NaN, Number.POSITIVE_INFINITY, "1e400"]) {
      expect(readBreakerWindowMs({ "app.breaker.window_ms": bad })).toBeNull();
    }
    expect(readBreakerWindowMs({})).toBeNull();
  });

  it("returns nothing for no spans", () => {
    expect(buildBreakers([], window)).toEqual([]);
  });
});
