import { describe, expect, it } from "vitest";
import { StoredSpanSchema } from "../store/types.ts";
import { buildBreakers } from "./build-breakers.ts";
import { mergeBreakerSpans } from "./read.ts";
import fixture from "./fixtures/breaker-flaps.json" with { type: "json" };

const spans = fixture.spans.map((span) => StoredSpanSchema.parse(span));
const window = { fromNs: BigInt(fixture.fromNs), toNs: BigInt(fixture.toNs) };
const isTransition = (s: (typeof spans)[number]) => s.attributes["app.breaker.to_state"] !== undefined;

describe("mergeBreakerSpans", () => {
  it("adds each transition once, keeping time order", () => {
    const transitions = spans.filter(isTransition);
    const merged = mergeBreakerSpans(spans, transitions);
    expect(merged.map((s) => s.spanId)).toEqual(spans.map((s) => s.spanId));
    const reversedInput = mergeBreakerSpans(spans.filter((s) => !isTransition(s)), [...transitions].reverse());
    expect(new Set(reversedInput.map((s) => s.spanId))).toEqual(new Set(spans.map((s) => s.spanId)));
    const times = reversedInput.map((s) => BigInt(s.startTimeUnixNano));
    expect(times).toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("keeps the first CLOSED→OPEN of a window whose call spans were cut to the newest", () => {
    const newestCalls = spans.filter((s) => !isTransition(s)).slice(-4);
    const cut = buildBreakers(newestCalls, window).find((c) => c.key === "order→payment");
    expect(cut?.transitions.map((t) => `${t.from}->${t.to}`) ?? []).not.toContain("closed->open");
    const merged = buildBreakers(mergeBreakerSpans(newestCalls, spans.filter(isTransition)), window).find((c) => c.key === "order→payment")!;
    expect(merged.transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      "closed->open", "open->half_open", "half_open->open", "open->half_open", "half_open->closed",
    ]);
    expect(merged.segments[0]!.state).toBe("closed");
  });
});
