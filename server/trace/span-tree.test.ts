import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { buildSpanTree } from "./span-tree.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };
import broken from "./fixtures/broken.json" with { type: "json" };

const MS = 1_000_000;
const flowSpans = orderFlow as unknown as StoredSpan[];
const brokenSpans = broken as unknown as StoredSpan[];

function names(spans: readonly StoredSpan[]) {
  return buildSpanTree(spans).rows.map((r) => `${"  ".repeat(r.depth)}${r.span.name}`);
}

describe("buildSpanTree on a normal order flow", () => {
  const tree = buildSpanTree(flowSpans);

  it("nests spans under their parents, children by start time, whatever the input order", () => {
    expect(names(flowSpans)).toEqual([
      "order.placeOrder",
      "  inventory.reserveStock",
      "    inventory.reserveStock",
      "  send order-events",
      "    process order-events",
    ]);
    expect(names([...flowSpans].reverse())).toEqual(names(flowSpans));
  });

  it("places bars relative to the trace start and spans the whole trace, async hop included", () => {
    expect(tree.rows.map((r) => r.offsetNs / MS)).toEqual([0, 5, 7, 30, 45]);
    expect(tree.durationNs).toBe(57 * MS);
    expect(tree.traceStartNs).toBe("1763800000000000000");
  });

  it("counts children and descendants so the UI can collapse a subtree by skipping rows", () => {
    expect(tree.rows.map((r) => [r.childCount, r.descendantCount, r.parentIndex])).toEqual([
      [2, 4, -1],
      [1, 1, 0],
      [0, 0, 1],
      [1, 1, 0],
      [0, 0, 3],
    ]);
  });

  it("leaves a consumer that starts after its producer ended alone (async, not skew)", () => {
    expect(tree.adjustments).toEqual([]);
    expect(tree.rows.every((r) => r.skewNs === 0)).toBe(true);
  });

  it("lists services in order of appearance", () => {
    expect(tree.services).toEqual(["order", "inventory", "notification"]);
  });
});

describe("buildSpanTree on a damaged trace", () => {
  const tree = buildSpanTree(brokenSpans);
  const byName = new Map(tree.rows.map((r) => [r.span.name, r]));

  it("shows orphans as roots flagged with the missing parent id, with their own children", () => {
    const orphan = byName.get("orphan")!;
    expect(orphan.depth).toBe(0);
    expect(orphan.missingParentId).toBe("ffffffffffffffff");
    expect(byName.get("orphan child")!.parentIndex).toBe(tree.rows.indexOf(orphan));
  });

  it("keeps duplicate span ids as separate rows with unique keys, never as parents", () => {
    const keys = tree.rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    const duplicate = byName.get("child early (duplicate)")!;
    expect(duplicate.isDuplicate).toBe(true);
    expect(duplicate.key).toBe("c000000000000002#2");
    expect(tree.issues.duplicateCount).toBe(1);
  });

  it("breaks a parent cycle at a span on the cycle and keeps the spans hanging below it", () => {
    const cycleRoots = tree.rows.filter((r) => r.isCycleBreak);
    expect(cycleRoots).toHaveLength(1);
    expect(["cycle a", "cycle b"]).toContain(cycleRoots[0]!.span.name);
    expect(byName.get("below cycle")!.depth).toBeGreaterThan(0);
    expect(tree.issues.cycleCount).toBe(1);
  });

  it("treats a span that is its own parent as an orphan", () => {
    expect(byName.get("self parent")!.missingParentId).toBe("c000000000000040");
    expect(tree.issues.orphanCount).toBe(2);
  });

  it("shows every valid span exactly once and drops unparsable timestamps", () => {
    expect(tree.rows).toHaveLength(brokenSpans.length - 1);
    expect(tree.issues.invalidCount).toBe(1);
  });

  it("orders several roots by start time", () => {
    const roots = tree.rows.filter((r) => r.depth === 0).map((r) => r.span.name);
    expect(roots[0]).toBe("root");
    expect(roots.indexOf("second root")).toBeGreaterThan(roots.indexOf("orphan"));
  });
});

describe("buildSpanTree edge sizes", () => {
  it("returns an empty tree for no spans", () => {
    const tree = buildSpanTree([]);
    expect(tree.rows).toEqual([]);
    expect(tree.durationNs).toBe(0);
  });

  it("handles a 10,000-deep chain without recursion limits", () => {
    const root = flowSpans.find((s) => s.parentSpanId === null)!;
    const chain = Array.from({ length: 10_000 }, (_, i): StoredSpan => ({
      ...root,
      spanId: i.toString(16).padStart(16, "0"),
      parentSpanId: i === 0 ? null : (i - 1).toString(16).padStart(16, "0"),
    }));
    const tree = buildSpanTree(chain);
    expect(tree.rows).toHaveLength(10_000);
    expect(tree.rows[9_999]!.depth).toBe(9_999);
    expect(tree.rows[0]!.descendantCount).toBe(9_999);
  });
});
