import { describe, expect, it } from "vitest";
import { buildServiceGraph } from "./build-graph.ts";
import { groupRows, topicOfQueues } from "./group-nodes.ts";
import { emptyHistogram, latencyBucket } from "./latency.ts";
import type { EdgeRow, EdgeType } from "./types.ts";

function row(from: string, to: string, type: EdgeType, calls: number, us: number): EdgeRow {
  const latencyHist = emptyHistogram();
  latencyHist[latencyBucket(us)]! += calls;
  return { from, to, type, calls, errors: 0, durationSumUs: us * calls, durationMaxUs: us, latencyHist };
}

const rows: EdgeRow[] = [
  row("service:dashboard", "service:gateway", "sync", 50, 2_000),
  row("service:gateway", "service:order", "sync", 10, 30_000),
  row("service:order", "queue:order-events", "event", 10, 1_000),
  row("queue:order-events", "service:shipping", "event", 10, 4_000),
  // Consumers drawn from their own queue (producer span not found): grouped under the topic.
  row("queue:order-events.notification", "service:notification", "event", 9, 5_000),
  row("queue:order-events.notification", "service:notification", "event", 1, 900_000),
  row("queue:order-events.analytics", "service:analytics", "event", 10, 3_000),
  row("service:order", "queue:credit-check-requests", "request_reply", 5, 1_000),
];

describe("grouping queues by topic", () => {
  it("groups `<topic>.<rest>` under a topic on the map, or under a prefix two queues share", () => {
    const topics = topicOfQueues(["order-events", "order-events.shipping", "a.x", "a.y", "credit-check-replies.order", "lonely"]);
    expect(Object.fromEntries(topics)).toEqual({ "order-events.shipping": "order-events", "a.x": "a", "a.y": "a" });
  });

  it("draws a topic's queues as the topic, with exact percentiles over the merged histograms", () => {
    const graph = buildServiceGraph(rows, 0, 900_000);
    const ids = graph.nodes.map((n) => n.id);
    expect(ids).not.toContain("queue:order-events.notification");
    const topic = graph.nodes.find((n) => n.id === "queue:order-events")!;
    expect(topic.members).toEqual(["order-events", "order-events.analytics", "order-events.notification"]);
    const notification = graph.edges.find((e) => e.id === "queue:order-events->service:notification:event")!;
    expect(notification.calls).toBe(10);
    expect(notification.p50Ms).toBeLessThan(10); // 9 of 10 calls took 5 ms
    expect(notification.maxMs).toBe(900);
  });

  it("draws the queues of an expanded topic apart", () => {
    const graph = buildServiceGraph(rows, 0, 900_000, { expand: ["queue:order-events"] });
    expect(graph.nodes.map((n) => n.id)).toContain("queue:order-events.notification");
    expect(graph.nodes.find((n) => n.id === "queue:order-events")!.members).toBeUndefined();
  });
});

describe("the dashboard's own traffic", () => {
  it("is hidden by default and counted", () => {
    const graph = buildServiceGraph(rows, 0, 900_000);
    expect(graph.nodes.map((n) => n.id)).not.toContain("service:dashboard");
    expect(graph.hiddenOwnEdges).toBe(1);
    expect(graph.nodes.find((n) => n.id === "service:gateway")!.inCalls).toBe(0);
  });

  it("is drawn when asked for", () => {
    const graph = buildServiceGraph(rows, 0, 900_000, { showOwn: true });
    expect(graph.nodes.map((n) => n.id)).toContain("service:dashboard");
    expect(graph.hiddenOwnEdges).toBeUndefined();
    expect(groupRows(rows, { showOwn: true }).hiddenOwnEdges).toBe(0);
  });
});

describe("instances of a service", () => {
  it("lists the instances that served requests on the service's node, in instance order", () => {
    const graph = buildServiceGraph(rows, 0, 900_000, {
      instances: [
        { service: "shipping", instanceId: "shipping-10", requests: 1, errors: 0, avgMs: 4 },
        { service: "shipping", instanceId: "shipping-2", requests: 9, errors: 1, avgMs: 4.123 },
        { service: "nobody-calls", instanceId: "x-1", requests: 1, errors: 0, avgMs: 1 },
      ],
    });
    const shipping = graph.nodes.find((n) => n.id === "service:shipping")!;
    expect(shipping.instances).toEqual([
      { id: "shipping-2", requests: 9, errors: 1, avgMs: 4.12 },
      { id: "shipping-10", requests: 1, errors: 0, avgMs: 4 },
    ]);
    expect(graph.nodes.find((n) => n.id === "service:order")!.instances).toBeUndefined();
    expect(graph.nodes.map((n) => n.id)).not.toContain("service:nobody-calls");
  });
});
