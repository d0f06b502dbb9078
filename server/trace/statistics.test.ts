import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { buildSpanTree } from "./span-tree.ts";
import { selfTimes, traceStatistics } from "./statistics.ts";
import { rowsFrom as rows } from "./fixtures/row-specs.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

describe("self time", () => {
  it("is the duration minus the union of the children, clipped to the span", () => {
    const r = rows([
      { name: "root", start: 0, end: 100 },
      { name: "a", parent: "root", start: 10, end: 40 },
      { name: "b", parent: "root", start: 30, end: 60 }, // overlaps a: 10-60 covered once
      { name: "late", parent: "root", start: 90, end: 150 }, // outlives the root: only 90-100 counts
      { name: "leaf", parent: "a", start: 20, end: 25 },
    ]);
    expect(selfTimes(r)).toEqual([100 - 50 - 10, 30 - 5, 30, 60, 5]);
  });

  it("never goes below zero, and a span without children keeps all of its time", () => {
    const r = rows([{ name: "p", start: 0, end: 10 }, { name: "c", parent: "p", start: 0, end: 10 }]);
    expect(selfTimes(r)).toEqual([0, 10]);
  });
});

describe("statistics", () => {
  const r = rows([
    { name: "root", service: "order", start: 0, end: 100 },
    { name: "query#1", service: "order", parent: "root", start: 10, end: 20 },
    { name: "query#2", service: "order", parent: "root", start: 30, end: 60, error: true },
    { name: "reserve", service: "inventory", parent: "root", start: 60, end: 90 },
  ]);

  it("groups by service: count, total, self, longest, errors; largest self time first", () => {
    expect(traceStatistics(r, "service")).toEqual([
      { service: "order", operation: null, count: 3, totalNs: 140, selfNs: 30 + 10 + 30, maxNs: 100, errors: 1 },
      { service: "inventory", operation: null, count: 1, totalNs: 30, selfNs: 30, maxNs: 30, errors: 0 },
    ]);
  });

  it("groups by operation within a service", () => {
    const lines = traceStatistics(r, "operation");
    expect(lines.find((l) => l.operation === "query")).toEqual({ service: "order", operation: "query", count: 2, totalNs: 40, selfNs: 40, maxNs: 30, errors: 1 });
    // Ties (30 each) go by service name.
    expect(lines.map((l) => l.operation)).toEqual(["query", "reserve", "root"]);
  });

  it("self times over a whole stored trace add up to the busy time, never more than the spans' total", () => {
    const tree = buildSpanTree(orderFlow as unknown as StoredSpan[]);
    const byService = traceStatistics(tree.rows, "service");
    const total = byService.reduce((s, l) => s + l.totalNs, 0);
    const self = byService.reduce((s, l) => s + l.selfNs, 0);
    expect(self).toBeGreaterThan(0);
    expect(self).toBeLessThanOrEqual(total);
    expect(byService.reduce((s, l) => s + l.count, 0)).toBe(tree.rows.length);
  });
});
