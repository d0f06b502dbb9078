import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { orderTimeMs, responseTimeNs, responseTimeOfSpans, traceDurationNs, traceDurationOfSpans } from "./durations.ts";
import { buildSpanTree } from "./span-tree.ts";
import { rowsFrom as rows } from "./fixtures/row-specs.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

describe("durations", () => {
  const spans = orderFlow as unknown as StoredSpan[];
  const tree = buildSpanTree(spans);

  it("trace duration spans first start to last end, async consumers included; the tree and the raw spans agree", () => {
    expect(traceDurationNs(tree.rows)).toBe(tree.durationNs);
    expect(traceDurationOfSpans(spans)).toBe(tree.durationNs);
    expect(traceDurationNs([])).toBe(0);
  });

  it("response time is the root span's duration, shorter than the trace when async work outlives the answer", () => {
    const root = spans.find((s) => s.parentSpanId === null)!;
    expect(responseTimeNs(tree.rows)).toBe(Number(root.durationNs));
    expect(responseTimeOfSpans(spans)).toBe(Number(root.durationNs));
    expect(responseTimeNs(tree.rows)!).toBeLessThan(traceDurationNs(tree.rows));
  });

  it("response time prefers the real root over an earlier orphan", () => {
    const r = rows([{ name: "orphan", start: 0, end: 5 }, { name: "root", start: 1, end: 50 }]);
    r[0]!.missingParentId = "ffffffffffffffff";
    expect(responseTimeNs(r)).toBe(49);
    expect(responseTimeNs([])).toBeNull();
  });

  it("order time runs from created to terminal, none while running", () => {
    expect(orderTimeMs({ createdAt: "2026-01-01T00:00:00.000Z", completedAt: "2026-01-01T00:00:00.346Z" })).toBe(346);
    expect(orderTimeMs({ createdAt: "2026-01-01T00:00:00.000Z", completedAt: null })).toBeNull();
  });
});
