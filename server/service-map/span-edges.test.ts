import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };
import foreign from "./fixtures/foreign.json" with { type: "json" };
import { deriveEdges, edgesFromSpans } from "./span-edges.ts";
import { EdgeAccumulator } from "./accumulator.ts";
import { buildServiceGraph } from "./build-graph.ts";

const orderSpans = orderFlow as unknown as StoredSpan[];
const foreignSpans = foreign as unknown as StoredSpan[];

/** `from -> to type xN (errors)` per edge, sorted: easy to read when it fails. */
function summarize(spans: StoredSpan[]): string[] {
  const acc = new EdgeAccumulator();
  for (const e of edgesFromSpans(spans)) acc.add(e);
  return acc.drain().map((r) => `${r.from} -> ${r.to} ${r.type} x${r.calls}${r.errors ? ` (${r.errors} err)` : ""}`).sort();
}

describe("edges from span fixtures", () => {
  it("types every hop of an order: sync calls, events, commands, request/reply", () => {
    expect(summarize(orderSpans)).toEqual([
      "queue:fraud-check-replies -> service:order request_reply x1",
      "queue:fraud-check-requests -> service:payment request_reply x1",
      "queue:order-events -> service:analytics event x1",
      "queue:order-events -> service:notification event x1",
      "queue:order-events -> service:shipping event x1",
      "queue:shipping-commands -> service:shipping command x1",
      "service:gateway -> service:order sync x1",
      "service:order -> queue:fraud-check-requests request_reply x1",
      "service:order -> queue:order-events event x1",
      "service:order -> queue:shipping-commands command x1",
      "service:order -> service:inventory sync x2",
      "service:order -> service:payment sync x1 (1 err)",
      "service:payment -> queue:fraud-check-replies request_reply x1",
    ]);
  });

  it("maps a foreign SDK's trace from span kinds and peer attributes", () => {
    expect(summarize(foreignSpans)).toEqual([
      "queue:orders -> service:accounting event x1",
      "service:checkout -> queue:orders event x1",
      "service:frontend -> peer:api.stripe.com:443 sync x1 (1 err)",
      "service:frontend -> service:cartservice sync x1",
    ]);
  });

  it("times sync edges by the server span and buckets them by start minute", () => {
    const payment = edgesFromSpans(orderSpans).find((e) => e.to === "service:payment" && e.type === "sync")!;
    expect(payment.durationUs).toBe(18_000);
    expect(payment.isError).toBe(true);
    expect(payment.bucketMs % 60_000).toBe(0);
    expect(payment.bucketMs).toBe(Date.UTC(2026, 10, 22, 8, 0));
  });

  it("names a subscriber's edge by the topic its producer sent to, not the subscriber's own queue", () => {
    const consumers = orderSpans.filter((s) => s.kind === "CONSUMER" && s.name === "process order-events");
    expect(consumers.map((s) => s.attributes["messaging.destination.name"])).toContain("order-events.shipping");
    // Without the producer the subscriber's own queue is all there is.
    expect(edgesFromSpans(consumers).map((e) => e.from).sort()).toEqual([
      "queue:order-events.analytics", "queue:order-events.notification", "queue:order-events.shipping",
    ]);
  });

  it("returns SERVER spans whose parent is missing and CLIENT spans nobody claimed", () => {
    const servers = orderSpans.filter((s) => s.kind === "SERVER" && s.serviceName === "inventory");
    const derived = deriveEdges(servers);
    expect(derived.waitingChildren).toHaveLength(2);
    expect(derived.samples).toEqual([]);
    const clients = orderSpans.filter((s) => s.kind === "CLIENT");
    // The database call is never an edge, so it never waits for a server.
    expect(deriveEdges(clients).unclaimedClients.map((s) => s.name).sort()).toEqual([
      "inventory.releaseStock", "inventory.reserveStock", "order.placeOrder", "payment.charge",
    ]);
  });
});

describe("graph from bucket rows", () => {
  it("sums rows of several minutes and derives rate, error rate and latency", () => {
    const acc = new EdgeAccumulator();
    for (let minute = 0; minute < 3; minute++) {
      for (const e of edgesFromSpans(orderSpans)) acc.add({ ...e, bucketMs: e.bucketMs + minute * 60_000 });
    }
    const rows = acc.drain();
    expect(rows.length).toBe(13 * 3);
    const graph = buildServiceGraph(rows, Date.UTC(2026, 10, 22, 8, 0), Date.UTC(2026, 10, 22, 8, 5));
    expect(graph.nodes.map((n) => n.id)).toEqual([
      "queue:fraud-check-replies", "queue:fraud-check-requests", "queue:order-events", "queue:shipping-commands",
      "service:analytics", "service:gateway", "service:inventory", "service:notification", "service:order",
      "service:payment", "service:shipping",
    ]);
    const payment = graph.edges.find((e) => e.id === "service:order->service:payment:sync")!;
    expect(payment).toMatchObject({ calls: 3, errors: 3, errorRate: 1, ratePerSec: 0.01, avgMs: 18, maxMs: 18, p50Ms: 18, p95Ms: 18 });
    const inventory = graph.edges.find((e) => e.id === "service:order->service:inventory:sync")!;
    expect(inventory).toMatchObject({ calls: 6, errors: 0, avgMs: 4.5, maxMs: 6, p50Ms: 5, p95Ms: 6 });
    const order = graph.nodes.find((n) => n.id === "service:order")!;
    expect(order).toMatchObject({ kind: "service", name: "order", inCalls: 6, outCalls: 18 });
  });

  it("is empty without rows", () => {
    expect(buildServiceGraph([], 0, 60_000)).toEqual({ fromMs: 0, toMs: 60_000, nodes: [], edges: [] });
  });
});
