import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { ancestorsOf, buildFlameGraph } from "./flame-graph.ts";
import { buildSpanTree } from "./span-tree.ts";
import { selfTimes } from "./statistics.ts";
import { bigTrace } from "./fixtures/big-trace.ts";
import { rowsFrom as rows } from "./fixtures/row-specs.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };
import broken from "./fixtures/broken.json" with { type: "json" };

const node = (g: ReturnType<typeof buildFlameGraph>, path: string) => g.nodes[g.byPath.get(path)!]!;

describe("flame graph", () => {
  const r = rows([
    { name: "root", service: "order", start: 0, end: 100 },
    { name: "query#1", service: "order", parent: "root", start: 10, end: 20 },
    { name: "reserve#1", service: "inventory", parent: "root", start: 20, end: 50 },
    { name: "query#2", service: "order", parent: "root", start: 60, end: 70, error: true },
    { name: "sql#1", service: "inventory", parent: "reserve#1", start: 25, end: 35 },
  ]);
  const g = buildFlameGraph(r);

  it("merges spans with the same stack: count, total, self time, errors", () => {
    expect(node(g, "order: root;order: query")).toMatchObject({ count: 2, totalNs: 20, selfNs: 20, errors: 1, depth: 2 });
    expect(node(g, "order: root;inventory: reserve")).toMatchObject({ count: 1, totalNs: 30, selfNs: 20 });
    expect(node(g, "order: root;inventory: reserve;inventory: sql")).toMatchObject({ count: 1, totalNs: 10, selfNs: 10, depth: 3 });
    // The root's self time is statistics.ts's: 100 minus the union of its children (10+30+10).
    expect(node(g, "order: root").selfNs).toBe(selfTimes(r)[0]);
    expect(node(g, "order: root").selfNs).toBe(50);
  });

  it("lays children out under their parent, in order of first start, in pre-order with subtree ranges", () => {
    const root = g.byPath.get("order: root")!;
    const kids = g.nodes.filter((n) => n.parent === root);
    expect(kids.map((n) => n.operation)).toEqual(["query", "reserve"]);
    expect(kids.map((n) => n.xNs)).toEqual([0, 20]);
    expect(g.nodes[root]!.end).toBe(g.nodes.length);
    g.nodes.forEach((n, i) => {
      if (n.parent >= 0) {
        const p = g.nodes[n.parent]!;
        expect(n.parent).toBeLessThan(i);
        expect(p.end).toBeGreaterThanOrEqual(n.end);
        expect(n.xNs).toBeGreaterThanOrEqual(p.xNs);
        expect(n.xNs + n.widthNs).toBeLessThanOrEqual(p.xNs + p.widthNs);
      }
    });
    expect(ancestorsOf(g, g.byPath.get("order: root;inventory: reserve;inventory: sql")!).map((i) => g.nodes[i]!.depth)).toEqual([0, 1, 2, 3]);
  });

  it("widens a frame whose parallel children add up to more than itself, so they fit under it", () => {
    const p = buildFlameGraph(
      rows([
        { name: "fan", start: 0, end: 10 },
        { name: "a", parent: "fan", start: 0, end: 10 },
        { name: "b", parent: "fan", start: 0, end: 10 },
      ]),
    );
    expect(node(p, "svc: fan")).toMatchObject({ totalNs: 10, selfNs: 0, widthNs: 20 });
  });

  it("keeps several roots and orphans as top-level frames of their own", () => {
    const tree = buildSpanTree(broken as unknown as StoredSpan[]);
    const b = buildFlameGraph(tree.rows);
    const top = b.nodes.filter((n) => n.depth === 1);
    expect(top.length).toBeGreaterThan(1);
    expect(b.nodes[0]!.orphans).toBe(tree.rows.filter((x) => x.missingParentId !== null).length);
    expect(b.nodes[0]!.count).toBe(tree.rows.length);
    expect(b.nodes[0]!.widthNs).toBe(top.reduce((s, n) => s + n.widthNs, 0));
  });

  it("does not depend on the order rows of the same tree were merged in: a stored trace sums up", () => {
    const tree = buildSpanTree(orderFlow as unknown as StoredSpan[]);
    const f = buildFlameGraph(tree.rows);
    const sum = (key: "count" | "selfNs" | "totalNs") => f.nodes.slice(1).reduce((s, n) => s + n[key], 0);
    expect(sum("count")).toBe(tree.rows.length);
    expect(sum("selfNs")).toBe(selfTimes(tree.rows).reduce((a, b) => a + b, 0));
    expect(sum("totalNs")).toBe(tree.rows.reduce((s, x) => s + x.durationNs, 0));
    const reversed = buildFlameGraph(buildSpanTree([...(orderFlow as unknown as StoredSpan[])].reverse()).rows);
    expect(reversed.nodes.map((n) => [n.path, n.count, n.selfNs])).toEqual(f.nodes.map((n) => [n.path, n.count, n.selfNs]));
  });

  it("handles 10,000 spans, and a chain far deeper than the call stack would allow", () => {
    const big = buildFlameGraph(buildSpanTree(bigTrace("b".repeat(32), 10_000, { startMs: 1 })).rows);
    expect(big.nodes[0]!.count).toBe(10_000);
    const chain = rows(Array.from({ length: 5_000 }, (_, i) => ({ name: `s${i}`, parent: i ? `s${i - 1}` : undefined, start: i, end: 10_000 - i })));
    expect(buildFlameGraph(chain).maxDepth).toBe(5_000);
  });
});
