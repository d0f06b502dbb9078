import { describe, expect, it } from "vitest";
import type { MapEdge, MapNode } from "../../server/service-map/types.ts";
import { flowOrder, layoutGraph, roundedPath } from "./layout-graph.ts";

const node = (id: string, kind: MapNode["kind"] = "service"): MapNode => ({ id, kind, name: id, inCalls: 0, inErrors: 0, outCalls: 0 });
const edge = (from: string, to: string, type: MapEdge["type"]): MapEdge => ({
  id: `${from}>${to}`, from, to, type, calls: 1, errors: 0, ratePerSec: 1, errorRate: 0, avgMs: 1, maxMs: 1, p50Ms: 1, p95Ms: 1,
});

describe("flow order of the service map", () => {
  it("puts entry points first and what they reach after, even when the entry is listed last", () => {
    const nodes = [node("order-events", "queue"), node("shipping"), node("order"), node("gateway")];
    const edges = [edge("gateway", "order", "sync"), edge("order", "order-events", "event"), edge("order-events", "shipping", "event"), edge("shipping", "order", "sync")];
    expect(flowOrder(nodes, edges).map((n) => n.id)).toEqual(["gateway", "order", "order-events", "shipping"]);
  });

  it("enters a cycle nothing reaches at its busiest synchronous caller, not at a queue", () => {
    const nodes = [node("shipping-events", "queue"), node("inventory"), node("order")];
    const edges = [
      edge("shipping-events", "order", "event"),
      edge("shipping-events", "inventory", "event"),
      edge("order", "inventory", "sync"),
      edge("inventory", "shipping-events", "event"),
    ];
    expect(flowOrder(nodes, edges).map((n) => n.id)).toEqual(["order", "inventory", "shipping-events"]);
  });

  it("keeps every node exactly once", () => {
    const nodes = [node("a"), node("b"), node("c", "queue"), node("lonely")];
    const edges = [edge("a", "b", "sync"), edge("b", "c", "command"), edge("c", "a", "command")];
    const ids = flowOrder(nodes, edges).map((n) => n.id);
    expect([...ids].sort()).toEqual(["a", "b", "c", "lonely"]);
  });
});

describe("rounded edge paths", () => {
  it("rounds each corner of an orthogonal route and ends on the last point", () => {
    const d = roundedPath([{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 50 }]);
    expect(d).toBe("M 0 0 L 94 0 Q 100 0 100 6 L 100 50");
  });

  it("draws a straight route as one line", () => {
    expect(roundedPath([{ x: 0, y: 0 }, { x: 10, y: 0 }])).toBe("M 0 0 L 10 0");
  });
});

describe("ELK layout of the map", () => {
  it("routes every edge, places its label, and keeps the entry left of what it calls", async () => {
    const nodes = [node("order-events", "queue"), node("shipping"), node("order"), node("gateway")];
    const edges = [edge("gateway", "order", "sync"), edge("order", "order-events", "event"), edge("order-events", "shipping", "event"), edge("shipping", "order", "sync")];
    const { positions, routes } = await layoutGraph(nodes, edges);
    expect(Object.keys(routes).sort()).toEqual(edges.map((e) => e.id).sort());
    for (const route of Object.values(routes)) {
      expect(route.points.length).toBeGreaterThanOrEqual(2);
      expect(route.label).not.toBeNull();
    }
    expect(positions.gateway!.x).toBeLessThan(positions.order!.x);
    expect(positions.order!.x).toBeLessThan(positions["order-events"]!.x);
  });
});
