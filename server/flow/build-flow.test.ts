import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { buildFlow } from "./build-flow.ts";
import { unionLength } from "./stats.ts";
import type { Flow } from "./types.ts";
import syncChainJson from "./fixtures/sync-chain.json" with { type: "json" };
import fanOutJson from "./fixtures/fan-out.json" with { type: "json" };
import requestReplyJson from "./fixtures/request-reply.json" with { type: "json" };
import foreignJson from "./fixtures/foreign.json" with { type: "json" };
import orphansJson from "./fixtures/orphans.json" with { type: "json" };

const MS = 1_000_000;
const load = (json: unknown) => json as StoredSpan[];
const flowOf = (spans: StoredSpan[]) => buildFlow(spans[0]!.traceId, spans);

/** `from -> to label` per step, with lane names, for readable expectations. */
function arrows(flow: Flow): string[] {
  const lane = (i: number | null) => (i === null ? "·" : flow.lanes[i]!.name);
  const line = { call: "->", return: "<-", message: "~>" } as const;
  return flow.steps.map((s) => `${lane(s.from)} ${line[s.kind]} ${lane(s.to)} ${s.label}${s.count > 1 ? ` x${s.count}` : ""}${s.isError ? " !" : ""}`);
}

describe("buildFlow", () => {
  it("draws a sync chain as solid calls in time order, each answered inline, the failed one in red", () => {
    const flow = flowOf(load(syncChainJson));
    expect(flow.lanes.map((l) => l.name)).toEqual(["order", "inventory", "payment", "shipping"]);
    expect(arrows(flow)).toEqual([
      "· -> order order.placeOrder",
      "order -> inventory inventory.reserveStock",
      "order -> payment payment.charge",
      "order -> shipping shipping.createShipment !",
    ]);
    expect(flow.steps.slice(1).every((s) => s.hasInlineReturn)).toBe(true);
    expect(flow.stats).toMatchObject({ syncCalls: 3, asyncMessages: 0, hops: 3, syncNs: 48 * MS, asyncNs: 0, errorCount: 2 });
  });

  it("draws a choreography fan-out as dashed messages labelled with event and queue", () => {
    const flow = flowOf(load(fanOutJson));
    expect(flow.lanes.map((l) => l.name)).toEqual(["order", "payment", "inventory", "analytics"]);
    expect(arrows(flow)).toEqual([
      "· -> order order.placeOrder",
      "order ~> payment OrderCreated · order-events",
      "payment ~> inventory PaymentCompleted · payment-events",
      "payment ~> analytics PaymentCompleted · payment-events",
    ]);
    expect(flow.steps[1]).toMatchObject({ kind: "message", offsetNs: 5 * MS, durationNs: 7 * MS, pattern: "publish-subscribe" });
    expect(flow.stats).toMatchObject({ asyncMessages: 3, hops: 3, syncNs: 0, asyncNs: 26 * MS });
  });

  it("joins a request and its reply by conversation id, even when the reply consumer is only linked", () => {
    const flow = flowOf(load(requestReplyJson));
    expect(arrows(flow)).toEqual(["order ~> payment credit-requests", "payment ~> order credit-replies"]);
    expect(flow.steps.map((s) => s.role)).toEqual(["request", "reply"]);
    expect(flow.pairs).toEqual([
      { conversationId: "conv-7f3a", requestKey: flow.steps[0]!.key, replyKey: flow.steps[1]!.key, roundTripNs: 13 * MS },
    ]);
  });

  it("reads a trace from another SDK by span kinds and http/db/messaging conventions", () => {
    const flow = flowOf(load(foreignJson));
    expect(flow.lanes.map((l) => `${l.name}${l.kind === "external" ? "*" : ""}`)).toEqual([
      "frontend",
      "checkout",
      "postgresql*",
      "email*",
      "accounting",
    ]);
    expect(arrows(flow)).toEqual([
      "· -> frontend POST /api/checkout",
      "frontend -> checkout POST /checkout",
      "checkout -> postgresql SELECT orders x3",
      "checkout ~> accounting orders",
      "checkout -> email email.send !",
      "checkout <- frontend POST /checkout",
    ]);
    // Only service-to-service steps count as hops: frontend->checkout and the Kafka message.
    expect(flow.stats.hops).toBe(2);
    expect(flow.stats.syncCalls).toBe(1);
    // Sync time is the frontend->checkout call only, not checkout's database calls.
    expect(flow.stats.syncNs).toBe(50 * MS);
  });

  it("keeps orphan spans: callers and consumers outside the trace are drawn as stubs", () => {
    const flow = flowOf(load(orphansJson));
    expect(arrows(flow)).toEqual([
      "· -> order order.placeOrder",
      "· -> inventory inventory.reserveStock",
      "order ~> · OrderCreated · order-events",
      "· ~> notification OrderCreated · order-events",
    ]);
    expect(flow.stats.hops).toBe(0);
  });

  it("is independent of input order and folds thousands of repeated calls into one row", () => {
    const spans = load(foreignJson);
    expect(flowOf([...spans].reverse())).toEqual(flowOf(spans));
    const base = spans.find((s) => s.spanId.endsWith("a4"))!;
    const many = Array.from({ length: 5000 }, (_, i) => ({
      ...base,
      spanId: (0x100000 + i).toString(16).padStart(16, "0"),
      startTimeUnixNano: (BigInt(base.startTimeUnixNano) + 15_000_000n + BigInt(i) * 1000n).toString(),
      endTimeUnixNano: (BigInt(base.startTimeUnixNano) + 15_000_000n + BigInt(i) * 1000n + 500n).toString(),
    }));
    const flow = flowOf([...spans, ...many]);
    expect(flow.steps.find((s) => s.label === "SELECT orders")!.count).toBe(5003);
    expect(flow.steps.length).toBe(6);
  });
});

describe("unionLength", () => {
  it("counts overlapping intervals once", () => {
    expect(unionLength([[0, 10], [5, 15], [20, 25]])).toBe(20);
    expect(unionLength([])).toBe(0);
  });
});
