import { describe, expect, it } from "vitest";
import type { Order } from "../../services/contracts/order.ts";
import { buildFlow } from "../flow/build-flow.ts";
import type { StoredSpan } from "../store/types.ts";
import syncChainJson from "../flow/fixtures/sync-chain.json" with { type: "json" };
import fanOutJson from "../flow/fixtures/fan-out.json" with { type: "json" };
import { bestIndex, compareFlows } from "./compare.ts";

const MS = 1_000_000;
const syncSpans = syncChainJson as unknown as StoredSpan[];
const fanSpans = fanOutJson as unknown as StoredSpan[];

function order(over: Partial<Order>): Order {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    customerId: "c",
    productId: "p",
    quantity: 1,
    style: "sync",
    status: "COMPLETED",
    reason: null,
    traceId: null,
    createdAt: "2026-11-22T08:00:00.000Z",
    completedAt: "2026-11-22T08:00:00.120Z",
    recovery: null,
    ...over,
  };
}

describe("compareFlows", () => {
  const sync = buildFlow(syncSpans[0]!.traceId, syncSpans);
  const fan = buildFlow(fanSpans[0]!.traceId, fanSpans);

  it("names each duration once: order time from the order, response time from the root span, trace duration from the flow", () => {
    const [row] = compareFlows([{ traceId: "s", flow: sync, order: order({}), spans: syncSpans }]);
    const root = syncSpans.find((x) => x.parentSpanId === null)!;
    expect(row).toMatchObject({ orderTimeNs: 120 * MS, responseTimeNs: Number(root.durationNs), traceDurationNs: sync.stats.durationNs, latencyNs: 120 * MS });
    const [bare] = compareFlows([{ traceId: "s", flow: sync, order: null }]);
    expect(bare).toMatchObject({ orderTimeNs: null, responseTimeNs: null, latencyNs: sync.stats.durationNs });
  });

  it("takes latency from the order's terminal time, hops and sync/async time from the flow", () => {
    const [a, b] = compareFlows([
      { traceId: sync.traceId, flow: sync, order: order({ style: "sync", status: "COMPENSATED" }) },
      { traceId: fan.traceId, flow: fan, order: order({ style: "choreography", completedAt: "2026-11-22T08:00:00.450Z" }) },
    ]);
    expect(a).toMatchObject({ style: "sync", outcome: "COMPENSATED", latencyNs: 120 * MS, latencySource: "order", hops: 3, syncNs: 48 * MS, asyncNs: 0, spanCount: 7 });
    expect(b).toMatchObject({ style: "choreography", outcome: "COMPLETED", latencyNs: 450 * MS, hops: 3, syncNs: 0, asyncNs: 26 * MS, asyncMessages: 3 });
  });

  it("falls back to the trace duration without an order, and has no latency while the order is pending", () => {
    const [noOrder, pending] = compareFlows([
      { traceId: sync.traceId, flow: sync, order: null },
      { traceId: fan.traceId, flow: fan, order: order({ status: "PENDING", completedAt: null }) },
    ]);
    expect(noOrder).toMatchObject({ latencyNs: 60 * MS, latencySource: "trace", outcome: "error" });
    expect(pending).toMatchObject({ latencyNs: null, outcome: "PENDING" });
  });

  it("finds the best row, skipping rows without a value", () => {
    const rows = compareFlows([
      { traceId: "a", flow: sync, order: order({ completedAt: "2026-11-22T08:00:00.300Z" }) },
      { traceId: "b", flow: fan, order: order({ status: "PENDING", completedAt: null }) },
      { traceId: "c", flow: fan, order: order({ completedAt: "2026-11-22T08:00:00.100Z" }) },
    ]);
    expect(bestIndex(rows, (r) => r.latencyNs)).toBe(2);
    expect(bestIndex([], (r) => r.latencyNs)).toBe(-1);
  });
});
