import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { criticalPath } from "./critical-path.ts";
import { buildSpanTree } from "./span-tree.ts";
import { rowsFrom as rows, type RowSpec as Spec } from "./fixtures/row-specs.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

/** The path as `name start-end` strings, in time order. */
function path(specs: Spec[]) {
  const r = rows(specs);
  const result = criticalPath(r);
  return { ...result, steps: result.segments.map((s) => `${r[s.rowIndex]!.span.name} ${s.startNs}-${s.endNs}`) };
}

describe("critical path", () => {
  it("sequential children: the parent's own time between them, each child whole", () => {
    const { steps, activeNs, waitingNs, lengthNs } = path([
      { name: "root", start: 0, end: 100 },
      { name: "a", parent: "root", start: 10, end: 40 },
      { name: "b", parent: "root", start: 50, end: 90 },
    ]);
    expect(steps).toEqual(["root 0-10", "a 10-40", "root 40-50", "b 50-90", "root 90-100"]);
    expect({ activeNs, waitingNs, lengthNs }).toEqual({ activeNs: 100, waitingNs: 0, lengthNs: 100 });
  });

  it("parallel children: only the one that finished last, then what came before it started", () => {
    const { steps } = path([
      { name: "root", start: 0, end: 100 },
      { name: "fast", parent: "root", start: 10, end: 30 },
      { name: "slow", parent: "root", start: 12, end: 80 },
      { name: "before", parent: "root", start: 2, end: 8 },
    ]);
    expect(steps).toEqual(["root 0-2", "before 2-8", "root 8-12", "slow 12-80", "root 80-100"]);
  });

  it("goes down nested calls to the deepest span that decided the end", () => {
    const { steps } = path([
      { name: "root", start: 0, end: 50 },
      { name: "call", parent: "root", start: 5, end: 45 },
      { name: "server", parent: "call", start: 10, end: 40 },
      { name: "sql", parent: "server", start: 20, end: 30 },
    ]);
    expect(steps).toEqual(["root 0-5", "call 5-10", "server 10-20", "sql 20-30", "server 30-40", "call 40-45", "root 45-50"]);
  });

  it("async fan-out: follows the consumer chain that ended last, counting queue time as waiting", () => {
    const { steps, activeNs, waitingNs, lengthNs } = path([
      { name: "placeOrder", start: 0, end: 30, kind: "SERVER" },
      { name: "reserve", parent: "placeOrder", start: 2, end: 8, kind: "CLIENT" },
      { name: "send", parent: "placeOrder", start: 9, end: 10, kind: "PRODUCER" },
      { name: "process shipping", parent: "send", start: 40, end: 60, kind: "CONSUMER" },
      { name: "process analytics", parent: "send", start: 35, end: 45, kind: "CONSUMER" },
      { name: "send shipped", parent: "process shipping", start: 55, end: 58, kind: "PRODUCER" },
      { name: "process order", parent: "send shipped", start: 70, end: 90, kind: "CONSUMER" },
    ]);
    expect(steps).toEqual(["placeOrder 0-2", "reserve 2-8", "placeOrder 8-9", "send 9-10", "process shipping 40-55", "send shipped 55-58", "process order 70-90"]);
    expect(lengthNs).toBe(90);
    // Waiting: 10-40 in the queue, 58-70 in the next queue.
    expect(waitingNs).toBe(30 + 12);
    expect(activeNs).toBe(90 - 42);
  });

  it("a child that outlives its parent (an async hop without a consumer kind) still counts", () => {
    const { steps } = path([
      { name: "root", start: 0, end: 20 },
      { name: "late", parent: "root", start: 10, end: 50 },
    ]);
    expect(steps).toEqual(["root 0-10", "late 10-50"]);
  });

  it("foreign traces: several roots, the one ending last decides; no spans, no path", () => {
    const { steps, lengthNs } = path([
      { name: "orphan-early", start: 0, end: 30 },
      { name: "orphan-late", start: 20, end: 60 },
      { name: "child", parent: "orphan-late", start: 25, end: 55 },
    ]);
    expect(steps).toEqual(["orphan-late 20-25", "child 25-55", "orphan-late 55-60"]);
    expect(lengthNs).toBe(60);
    expect(criticalPath([])).toMatchObject({ segments: [], lengthNs: 0 });
  });

  it("on a real stored order trace, the path covers the trace and every segment lies in its span", () => {
    const tree = buildSpanTree(orderFlow as unknown as StoredSpan[]);
    const result = criticalPath(tree.rows);
    expect(result.segments.length).toBeGreaterThan(1);
    expect(result.lengthNs).toBe(tree.durationNs);
    for (const s of result.segments) {
      const row = tree.rows[s.rowIndex]!;
      expect(s.startNs).toBeGreaterThanOrEqual(row.offsetNs);
      expect(s.endNs).toBeLessThanOrEqual(row.offsetNs + row.durationNs);
    }
    for (let i = 1; i < result.segments.length; i++) expect(result.segments[i]!.startNs).toBeGreaterThanOrEqual(result.segments[i - 1]!.endNs);
  });
});

describe("request/reply and RPC timing", () => {
  it("follows the reply chain that woke the caller, up to the call it made next, and clips a server overrunning its client", () => {
    const { steps } = path([
      { name: "placeOrder", start: 0, end: 100, kind: "SERVER" },
      { name: "send request", parent: "placeOrder", start: 10, end: 15, kind: "PRODUCER" },
      { name: "process request", parent: "send request", start: 20, end: 40, kind: "CONSUMER" },
      { name: "send reply", parent: "process request", start: 25, end: 30, kind: "PRODUCER" },
      // Wakes placeOrder at 45, then goes on acknowledging its job until 60.
      { name: "process reply", parent: "send reply", start: 35, end: 60, kind: "CONSUMER" },
      { name: "charge", parent: "placeOrder", start: 45, end: 90, kind: "CLIENT" },
      // The server span ends 2 ns after its client's call: timing noise, not async work.
      { name: "charge server", parent: "charge", start: 50, end: 92, kind: "SERVER" },
    ]);
    expect(steps).toEqual([
      "placeOrder 0-10", "send request 10-15", "process request 20-25", "send reply 25-30", "process reply 35-45",
      "charge 45-50", "charge server 50-90", "placeOrder 90-100",
    ]);
  });
});

describe("rows on the critical path", () => {
  it("include a span the path only passes through (its child took all of its time)", () => {
    const r = rows([
      { name: "root", start: 0, end: 100 },
      { name: "call", parent: "root", start: 10, end: 90 },
      { name: "attempt", parent: "call", start: 10, end: 90 },
      { name: "side", parent: "root", start: 20, end: 30 },
    ]);
    const result = criticalPath(r);
    expect([...result.rowIndexes].sort()).toEqual([0, 1, 2]);
    expect(result.segments.map((s) => r[s.rowIndex]!.span.name)).toEqual(["root", "attempt", "root"]);
  });
});
