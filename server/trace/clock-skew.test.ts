import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { buildSpanTree } from "./span-tree.ts";
import { clockKeyOf } from "./graph.ts";
import clockSkew from "./fixtures/clock-skew.json" with { type: "json" };

const MS = 1_000_000;
const tree = buildSpanTree(clockSkew as unknown as StoredSpan[]);
const byId = new Map(tree.rows.map((r) => [r.span.spanId, r]));
const row = (id: string) => byId.get(`b00000000000000${id}`)!;

describe("clock-skew adjustment", () => {
  it("moves a server span from a fast clock into its client's window, centred", () => {
    // client 5..25 ms, server lasted 10 ms -> 5 ms latency each way -> server at 10 ms.
    expect(row("3").offsetNs).toBe(10 * MS);
    expect(row("3").skewNs).toBe(-97 * MS);
  });

  it("applies the same delta to later spans of the same process", () => {
    expect(row("4").skewNs).toBe(-97 * MS);
    expect(row("4").offsetNs).toBe(12 * MS);
  });

  it("moves a consumer that seems to start before its producer to the producer's start", () => {
    expect(row("6").offsetNs).toBe(30 * MS);
    expect(row("6").skewNs).toBe(25 * MS);
  });

  it("never moves the root or spans of the root's own clock", () => {
    expect(row("1").skewNs).toBe(0);
    expect(row("2").skewNs).toBe(0);
    expect(row("5").skewNs).toBe(0);
  });

  it("reports one adjustment per service for the UI", () => {
    expect(tree.adjustments).toEqual([
      { serviceName: "inventory", minDeltaNs: -97 * MS, maxDeltaNs: -97 * MS, spanCount: 2 },
      { serviceName: "notification", minDeltaNs: 25 * MS, maxDeltaNs: 25 * MS, spanCount: 1 },
    ]);
  });

  it("measures the trace on adjusted times, so the fast clock does not stretch it", () => {
    expect(tree.durationNs).toBe(40 * MS);
  });
});

describe("clocks are hosts", () => {
  const withResource = (resource: (span: StoredSpan) => StoredSpan["resource"]) =>
    buildSpanTree((clockSkew as unknown as StoredSpan[]).map((span) => ({ ...span, resource: resource(span) })));

  it("shifts nothing in a trace whose processes all ran on one host, even a child outlasting its parent", () => {
    const oneHost = withResource((span) => ({ "service.name": span.serviceName, "service.instance.id": `${span.serviceName}-1`, "host.name": "laptop" }));
    expect(oneHost.adjustments).toEqual([]);
    expect(oneHost.rows.every((r) => r.skewNs === 0)).toBe(true);
  });

  it("shifts nothing without host information: nothing tells the clocks apart", () => {
    const noHost = withResource((span) => ({ "service.name": span.serviceName }));
    expect(noHost.adjustments).toEqual([]);
  });

  it("keys on the most specific host attribute there is", () => {
    expect(clockKeyOf({ resource: { "host.id": "i-1", "host.name": "a" } })).toBe("host.id=i-1");
    expect(clockKeyOf({ resource: { "host.name": "a" } })).toBe("host.name=a");
    expect(clockKeyOf({ resource: { ip: "10.0.0.2" } })).toBe("ip=10.0.0.2");
    expect(clockKeyOf({ resource: { "service.name": "x" } })).toBe("");
  });
});
