import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { buildSpanTree } from "./span-tree.ts";
import { diffTraces } from "./trace-diff.ts";
import { rowsFrom as rows } from "./fixtures/row-specs.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

describe("trace diff", () => {
  // A: one query, a reserve call with its SQL. B: three queries, a payment call instead of the SQL.
  const a = rows([
    { name: "place", service: "order", start: 0, end: 100 },
    { name: "query#1", service: "order", parent: "place", start: 0, end: 10 },
    { name: "reserve", service: "inventory", parent: "place", start: 20, end: 60 },
    { name: "sql", service: "inventory", parent: "reserve", start: 30, end: 40 },
  ]);
  const b = rows([
    { name: "place", service: "order", start: 0, end: 200 },
    { name: "query#1", service: "order", parent: "place", start: 0, end: 10 },
    { name: "query#2", service: "order", parent: "place", start: 10, end: 30 },
    { name: "query#3", service: "order", parent: "place", start: 30, end: 60 },
    { name: "reserve", service: "inventory", parent: "place", start: 60, end: 100, error: true },
    { name: "charge", service: "payment", parent: "place", start: 100, end: 180 },
  ]);
  const diff = diffTraces(a, b);
  const row = (path: string) => diff.rows.find((r) => r.path === path)!;

  it("keys spans by operation path and counts them on each side", () => {
    expect(row("order: place;order: query")).toMatchObject({
      status: "both",
      a: { count: 1, totalNs: 10, meanNs: 10 },
      b: { count: 3, totalNs: 60, meanNs: 20 },
      countDelta: 2,
      totalDeltaNs: 50,
      meanDeltaNs: 10,
    });
    expect(row("order: place")).toMatchObject({ status: "both", depth: 0, countDelta: 0, totalDeltaNs: 100, a: { selfNs: 50 } });
    expect(row("order: place;inventory: reserve")).toMatchObject({ status: "both", b: { errors: 1 } });
  });

  it("marks paths present on one side only, with the missing side as null", () => {
    expect(row("order: place;inventory: reserve;inventory: sql")).toMatchObject({ status: "onlyA", a: { count: 1 }, b: null, countDelta: -1, totalDeltaNs: -10, meanDeltaNs: null, depth: 2 });
    expect(row("order: place;payment: charge")).toMatchObject({ status: "onlyB", a: null, b: { count: 1, totalNs: 80 }, countDelta: 1 });
    expect(diff).toMatchObject({ onlyA: 1, onlyB: 1, countChanged: 1, same: 2 });
  });

  it("lists paths in tree order: each right after its parent", () => {
    expect(diff.rows.map((r) => r.path)).toEqual([
      "order: place",
      "order: place;inventory: reserve",
      "order: place;inventory: reserve;inventory: sql",
      "order: place;order: query",
      "order: place;payment: charge",
    ]);
  });

  it("finds no difference between a trace and itself, whatever order its spans were stored in", () => {
    const spans = orderFlow as unknown as StoredSpan[];
    const self = diffTraces(buildSpanTree(spans).rows, buildSpanTree([...spans].reverse()).rows);
    expect(self.onlyA + self.onlyB + self.countChanged).toBe(0);
    expect(self.rows.every((r) => r.totalDeltaNs === 0 && r.meanDeltaNs === 0)).toBe(true);
    expect(self.rows.reduce((s, r) => s + r.a!.count, 0)).toBe(spans.length);
  });

  it("diffs against an empty trace: everything only on one side", () => {
    expect(diffTraces(a, [])).toMatchObject({ onlyA: 4, onlyB: 0, same: 0 });
    expect(diffTraces([], b).rows.every((r) => r.status === "onlyB")).toBe(true);
  });
});
