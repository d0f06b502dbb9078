import { describe, expect, it } from "vitest";
import type { MapEdge, MapNode } from "../../server/service-map/types.ts";
import { shopGraph, syntheticGraph } from "./fixtures.ts";
import {
  EDGE_LABEL_PX, FIT_MAX_ZOOM, FIT_MIN_ZOOM, NODE_LABEL_PX, flowOrder, initialViewport, layoutGraph, nodeSize, roundedPath,
  type GraphLayout,
} from "./layout-graph.ts";

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

type Box = { id: string; x: number; y: number; width: number; height: number };

/** Boxes of the laid-out nodes and of the labels ELK placed. */
function boxesOf(layout: GraphLayout, nodes: readonly MapNode[], expanded: ReadonlySet<string> = new Set()) {
  const nodeBoxes: Box[] = nodes.map((n) => ({ id: n.id, ...layout.positions[n.id]!, ...nodeSize(n, expanded.has(n.id)) }));
  const labelBoxes: Box[] = Object.entries(layout.routes).flatMap(([id, r]) => (r.labelBox ? [{ id: `label ${id}`, ...r.labelBox }] : []));
  return { nodeBoxes, labelBoxes };
}

/** Pairs of boxes that overlap by more than a pixel. */
function overlaps(boxes: readonly Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (dx > 1 && dy > 1) found.push(`${a.id} / ${b.id}`);
    }
  }
  return found;
}

describe("readable map", () => {
  it("never fits below the zoom that keeps node names and edge figures at 11 px on screen", () => {
    expect(NODE_LABEL_PX * FIT_MIN_ZOOM).toBeGreaterThanOrEqual(11);
    expect(EDGE_LABEL_PX * FIT_MIN_ZOOM).toBeGreaterThanOrEqual(11);
  });

  it("pans a drawing too large for the canvas from its entry side instead of shrinking it", () => {
    const view = initialViewport({ width: 5000, height: 2000 }, { width: 1100, height: 800 });
    expect(view.zoom).toBe(FIT_MIN_ZOOM);
    expect(view.x).toBe(24); // left edge (entry points) in view
    expect(view.y).toBe(24);
  });

  it("centres a small drawing without blowing it up", () => {
    const view = initialViewport({ width: 400, height: 200 }, { width: 1200, height: 800 });
    expect(view.zoom).toBe(FIT_MAX_ZOOM);
    expect(view.x).toBeCloseTo((1200 - 400 * FIT_MAX_ZOOM) / 2);
    expect(view.y).toBeCloseTo((800 - 200 * FIT_MAX_ZOOM) / 2);
  });

  it("fits a drawing that fits at a zoom in between", () => {
    const view = initialViewport({ width: 1000, height: 400 }, { width: 1048, height: 800 });
    expect(view.zoom).toBeCloseTo(1);
    expect(view.x).toBeCloseTo(24);
  });

  it("lays out the shop with no node on another, no label on a node or on another label", async () => {
    const { nodes, edges } = shopGraph();
    const layout = await layoutGraph(nodes, edges);
    expect(layout.hasLabels).toBe(true);
    expect(Object.keys(layout.routes).sort()).toEqual(edges.map((e) => e.id).sort());
    const { nodeBoxes, labelBoxes } = boxesOf(layout, nodes);
    expect(labelBoxes).toHaveLength(edges.length);
    expect(overlaps([...nodeBoxes, ...labelBoxes])).toEqual([]);
    // Readable at the fitted zoom in a 1440 x 900 window's canvas: the shop is shown at >= FIT_MIN_ZOOM.
    expect(initialViewport(layout, { width: 1200, height: 780 }).zoom).toBeGreaterThanOrEqual(FIT_MIN_ZOOM);
  });

  it("makes room for a service's instances when it is expanded", async () => {
    const { nodes, edges } = shopGraph();
    const expanded = new Set(["service:inventory"]);
    const inventory = nodes.find((n) => n.id === "service:inventory")!;
    expect(nodeSize(inventory, true).height).toBeGreaterThan(nodeSize(inventory, false).height);
    const layout = await layoutGraph(nodes, edges, expanded);
    const { nodeBoxes, labelBoxes } = boxesOf(layout, nodes, expanded);
    expect(overlaps([...nodeBoxes, ...labelBoxes])).toEqual([]);
  });

  it("lays out 50 nodes and 150 edges without overlapping nodes, labels left to hover", async () => {
    const { nodes, edges } = syntheticGraph(50, 150);
    expect([nodes.length, edges.length]).toEqual([50, 150]);
    const layout = await layoutGraph(nodes, edges);
    expect(layout.hasLabels).toBe(false);
    expect(Object.keys(layout.routes)).toHaveLength(150);
    expect(overlaps(boxesOf(layout, nodes).nodeBoxes)).toEqual([]);
  });
});
