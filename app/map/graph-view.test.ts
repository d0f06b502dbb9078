import { describe, expect, it } from "vitest";
import { shopGraph } from "./fixtures.ts";
import { focusGraph, focusIdOf, focusParamOf } from "./graph-view.ts";

describe("focus on one node", () => {
  it("reads a service name or a node id from the URL and writes it back the same way", () => {
    expect(focusIdOf("order")).toBe("service:order");
    expect(focusIdOf("queue:order-events")).toBe("queue:order-events");
    expect(focusIdOf("")).toBeUndefined();
    expect(focusParamOf("service:order")).toBe("order");
    expect(focusParamOf("queue:order-events")).toBe("queue:order-events");
    expect(focusIdOf(focusParamOf("service:odd:name"))).toBe("service:odd:name");
  });

  it("keeps the node, its callers and callees, its queues and who is on the other side of them", () => {
    const graph = focusGraph(shopGraph(), "service:gateway")!;
    expect(graph.nodes.map((n) => n.id)).toEqual(["service:gateway", "service:order"]);
    expect(graph.edges.map((e) => e.id)).toEqual(["service:gateway->service:order:sync"]);

    const shipping = focusGraph(shopGraph(), "service:shipping")!;
    const ids = shipping.nodes.map((n) => n.id);
    // Called by order; consumes order-events, inventory-events (published by order, inventory);
    // publishes shipping-events, consumed by order, payment, inventory, notification, analytics.
    expect(ids).toEqual(expect.arrayContaining(["service:order", "queue:order-events", "queue:inventory-events", "queue:shipping-events",
      "service:notification", "service:analytics", "service:inventory"]));
    expect(ids).not.toContain("service:gateway");
    expect(ids).not.toContain("queue:payment-events");
    // Siblings on a topic it reads are not its neighbours: order-events -> notification is left out.
    expect(shipping.edges.map((e) => e.id)).not.toContain("queue:order-events->service:notification:event");
    for (const e of shipping.edges) expect(ids).toEqual(expect.arrayContaining([e.from, e.to]));
  });

  it("is null for a node the window does not have", () => {
    expect(focusGraph(shopGraph(), "service:nope")).toBeNull();
  });
});
