/**
 * The order flow in each communication style, across real processes (order, inventory, payment,
 * shipping, notification, analytics, collector on the test slot), checked in the services'
 * tables and in the stored traces: what the dashboard's flow and saga views are rebuilt from.
 */
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attr, DemoCustomers, Events, Queues, SagaSteps } from "../../services/contracts/index.ts";
import { TEST_CONFIG, type RunningSystem } from "../../scripts/launcher/index.ts";
import type { StoredSpan } from "../../server/store/types.ts";
import { byStart, createFlowProbe, isDescendant, type FlowProbe } from "../support/flow-probe.ts";
import { startTestSystem } from "../support/start-system.ts";

let system: RunningSystem;
let probe: FlowProbe;
const logs: string[] = [];
const PROCESSES = ["collector", "inventory", "payment", "shipping", "order", "notification", "analytics"] as const;

const attr = (span: StoredSpan | undefined, key: string) => span?.attributes[key];
const named = (spans: StoredSpan[], name: string) => spans.filter((s) => s.name === name);
const isOrderRpc = (s: StoredSpan) => s.kind === "CLIENT" && s.serviceName === "order" && attr(s, Attr.RPC_SYSTEM) === "trpc";
/** The order service's calls to participants, in order (the price-list refresh is not a step). */
const rpcCalls = (spans: StoredSpan[]) => byStart(spans.filter((s) => isOrderRpc(s) && s.name !== "inventory.listProducts")).map((s) => s.name);

beforeAll(async () => {
  system = await startTestSystem({ processes: PROCESSES }, logs);
  probe = createFlowProbe({ databaseUrl: TEST_CONFIG.databaseUrl, orderUrl: system.urls.order, collectorUrl: system.urls.collector, logs });
  // Earlier runs drain the stock in a reused test DB; these flows need some.
  await probe.pool.query(`UPDATE inventory.products SET stock = 500 WHERE id = 'sku-filter'`);
  // Start-up alone can take minutes on a busy 2-core machine.
}, 300_000);

afterAll(async () => {
  await probe?.close();
  await system?.stop();
});

describe("sync", () => {
  it("answers REJECTED for out of stock, with the reason, and publishes nothing", async () => {
    const order = await probe.placeOrder({ style: "sync", productId: "sku-rare-cup", quantity: 1000 });
    expect(order).toMatchObject({ status: "REJECTED", style: "sync" });
    expect(order.reason).toMatch(/out of stock/);
    const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.name === "order.placeOrder" && s.kind === "SERVER"));
    expect(spans.some((s) => s.kind === "PRODUCER")).toBe(false);
    expect(rpcCalls(spans)).toEqual(["inventory.reserveStock"]);
  });

  it("undoes what succeeded, in reverse, when shipping refuses the parcel", async () => {
    const order = await probe.placeOrder({ style: "sync", quantity: 25 });
    expect(order.status).toBe("COMPENSATED");
    expect(order.reason).toMatch(/parcel limit/);
    // The placeOrder SERVER span ends last and may reach the collector in a later batch.
    const hasServerSpan = (all: StoredSpan[]) => all.some((s) => s.name === "order.placeOrder" && s.kind === "SERVER");
    const spans = await probe.waitForTrace(order.traceId, (all) => rpcCalls(all).length === 5 && hasServerSpan(all));
    expect(rpcCalls(spans)).toEqual([
      "inventory.reserveStock", "payment.chargePayment", "shipping.createShipment", "payment.refundPayment", "inventory.releaseStock",
    ]);
    const server = spans.find((s) => s.name === "order.placeOrder" && s.kind === "SERVER");
    expect([attr(server, Attr.ORDER_ID), attr(server, Attr.ORDER_STYLE), attr(server, Attr.ORDER_STATUS)]).toEqual([order.orderId, "sync", "COMPENSATED"]);
    const payment = await probe.pool.query(`SELECT status FROM payment.payments WHERE order_id = $1`, [order.orderId]);
    const reservation = await probe.pool.query(`SELECT status FROM inventory.reservations WHERE order_id = $1`, [order.orderId]);
    expect([payment.rows[0]?.status, reservation.rows[0]?.status]).toEqual(["REFUNDED", "RELEASED"]);
  });

  it("refuses an unknown product with NOT_FOUND and writes nothing", async () => {
    const before = await probe.pool.query(`SELECT count(*)::int AS n FROM orders.orders`);
    await expect(probe.placeOrder({ style: "sync", productId: "sku-nope" })).rejects.toThrow(/unknown product sku-nope/);
    const after = await probe.pool.query(`SELECT count(*)::int AS n FROM orders.orders`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe("hybrid", () => {
  it("answers CONFIRMED after stock, credit check (request/reply) and payment; OrderCreated fans out; COMPLETED once shipped", async () => {
    const order = await probe.placeOrder({ style: "hybrid", quantity: 2 });
    expect(order.status).toBe("CONFIRMED");
    const subscribers = ["order-events.shipping", "order-events.notification", "order-events.analytics"].map((q) => `process ${q}`);
    // Spans reach the collector in each process's own export batches: wait for every one asserted on.
    const expected = [...subscribers, "send order-events", `send ${Queues.CREDIT_CHECK_REQUESTS}`];
    const hasReply = (all: StoredSpan[]) => all.some((s) => s.kind === "CONSUMER" && s.serviceName === "order" && attr(s, Attr.MESSAGING_ROLE) === "reply");
    const spans = await probe.waitForTrace(order.traceId, (all) => expected.every((name) => all.some((s) => s.name === name)) && hasReply(all));
    expect(rpcCalls(spans)).toEqual(["inventory.reserveStock", "payment.chargePayment"]);

    const request = spans.find((s) => s.kind === "PRODUCER" && s.name === `send ${Queues.CREDIT_CHECK_REQUESTS}`);
    const conversation = attr(request, Attr.MESSAGING_CONVERSATION_ID);
    const reply = spans.find((s) => s.kind === "CONSUMER" && s.serviceName === "order" && attr(s, Attr.MESSAGING_ROLE) === "reply");
    expect([attr(request, Attr.MESSAGING_ROLE), attr(request, Attr.MESSAGING_PATTERN)]).toEqual(["request", "point-to-point"]);
    expect(attr(request, Attr.MESSAGING_REPLY_TO)).toBe(reply?.name.replace("process ", ""));
    expect(attr(reply, Attr.MESSAGING_CONVERSATION_ID)).toBe(conversation);
    expect(isDescendant(spans, reply!, request!)).toBe(true);

    const send = spans.find((s) => s.kind === "PRODUCER" && s.name === "send order-events");
    expect([attr(send, Attr.EVENT_NAME), attr(send, Attr.MESSAGING_PATTERN), attr(send, Attr.ORDER_STYLE)]).toEqual([Events.ORDER_CREATED, "publish-subscribe", "hybrid"]);
    for (const name of subscribers) expect(isDescendant(spans, named(spans, name)[0]!, send!)).toBe(true);
    const row = await probe.waitForSettled(order.orderId);
    expect(row.status).toBe("COMPLETED");
    expect(row.flow_events).toContain(Events.SHIPMENT_CREATED);
  });

  it("compensates (refund + release) when shipping later rejects the parcel", async () => {
    const order = await probe.placeOrder({ style: "hybrid", quantity: 21 });
    // Not COMPLETED: shipping has not answered yet when placing answers.
    expect(order.status).toBe("CONFIRMED");
    const row = await probe.waitForSettled(order.orderId);
    expect(row.status).toBe("COMPENSATED");
    expect(row.reason).toMatch(/ShipmentRejected/);
    const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.name === "order.compensate"));
    const compensate = named(spans, "order.compensate")[0]!;
    expect(byStart(spans.filter((s) => isOrderRpc(s) && isDescendant(spans, s, compensate))).map((s) => s.name)).toEqual([
      "payment.refundPayment", "inventory.releaseStock",
    ]);
  });

  it("fails the order when the credit check times out, and records the reply that comes late", async () => {
    const requests = new Queue(Queues.CREDIT_CHECK_REQUESTS, { connection: { url: TEST_CONFIG.redisUrl }, prefix: TEST_CONFIG.redisPrefix });
    await requests.pause();
    try {
      const order = await probe.placeOrder({ style: "hybrid" });
      expect(order.status).toBe("COMPENSATED");
      expect(order.reason).toMatch(/no reply within/);
      await requests.resume();
      const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.events.some((e) => e.name === "credit_check.late_reply")));
      const late = spans.find((s) => s.events.some((e) => e.name === "credit_check.late_reply"))!;
      expect([late.serviceName, late.kind, attr(late, Attr.MESSAGING_ROLE)]).toEqual(["order", "CONSUMER", "reply"]);
      expect(logs.some((line) => line.includes("late reply"))).toBe(true);
    } finally {
      await requests.resume();
      await requests.close();
    }
  });
});

describe("choreography", () => {
  it("completes from events alone: the order service makes no call to a participant", async () => {
    const order = await probe.placeOrder({ style: "choreography", quantity: 2 });
    expect(order.status).toBe("PENDING");
    const row = await probe.waitForSettled(order.orderId);
    expect(row.status).toBe("COMPLETED");
    expect(row.flow_events).toEqual(expect.arrayContaining([Events.PAYMENT_COMPLETED, Events.INVENTORY_RESERVED, Events.SHIPMENT_CREATED]));
    const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.serviceName === "order" && attr(s, Attr.EVENT_NAME) === Events.SHIPMENT_CREATED && s.kind === "CONSUMER"));
    expect(rpcCalls(spans)).toEqual([]);
  });

  it("ends COMPENSATED once the refund and the release after ShipmentRejected were both announced", async () => {
    const order = await probe.placeOrder({ style: "choreography", quantity: 22 });
    const row = await probe.waitForSettled(order.orderId);
    expect(row.status).toBe("COMPENSATED");
    expect(row.flow_events).toEqual(expect.arrayContaining([Events.SHIPMENT_REJECTED, Events.PAYMENT_REFUNDED, Events.INVENTORY_RELEASED]));
    expect(row.reason).toMatch(/parcel limit/);
  });

  it("ends REJECTED on PaymentDeclined", async () => {
    const order = await probe.placeOrder({ style: "choreography", customerId: DemoCustomers.BROKE });
    expect((await probe.waitForSettled(order.orderId)).status).toBe("REJECTED");
  });
});

describe("saga", () => {
  const sagaSpans = (spans: StoredSpan[]) => byStart(spans.filter((s) => s.name.startsWith("saga.")));

  it("runs the plan step by step, one short span each, and persists every step's result", async () => {
    const order = await probe.placeOrder({ style: "saga", quantity: 2 });
    expect(order.status).toBe("PENDING");
    expect((await probe.waitForSettled(order.orderId)).status).toBe("COMPLETED");
    const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.name === "saga.end order"));
    const saga = sagaSpans(spans);
    expect(saga.map((s) => s.name)).toEqual([
      "saga.start order", "saga.execute reserveStock", "saga.execute checkCredit", "saga.execute chargePayment", "saga.execute createShipment", "saga.end order",
    ]);
    expect(attr(saga[0], Attr.SAGA_STEPS)).toEqual(Object.values(SagaSteps));
    const sagaId = attr(saga[0], Attr.SAGA_ID);
    for (const span of saga) expect([attr(span, Attr.SAGA_ID), attr(span, Attr.ORDER_ID), attr(span, Attr.ORDER_STYLE), attr(span, Attr.SAGA_NAME)]).toEqual([sagaId, order.orderId, "saga", "order"]);
    expect(saga.slice(1, 5).map((s) => [attr(s, Attr.SAGA_STEP_INDEX), attr(s, Attr.SAGA_ACTION), attr(s, Attr.SAGA_STEP_OUTCOME)])).toEqual([
      [0, "execute", "succeeded"], [1, "execute", "succeeded"], [2, "execute", "succeeded"], [3, "execute", "succeeded"],
    ]);
    expect(attr(saga[5], Attr.SAGA_STATUS)).toBe("completed");
    const { rows } = await probe.pool.query(`SELECT status, step_index, step_results, current_step FROM orders.sagas WHERE order_id = $1`, [order.orderId]);
    expect(rows[0]).toMatchObject({ status: "completed", step_index: 4, current_step: null });
    expect(Object.keys(rows[0].step_results).sort()).toEqual([...Object.values(SagaSteps)].sort());
  });

  it("compensates the completed steps in reverse when shipping refuses the parcel", async () => {
    const order = await probe.placeOrder({ style: "saga", quantity: 23 });
    const row = await probe.waitForSettled(order.orderId);
    expect(row.status).toBe("COMPENSATED");
    const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.name === "saga.end order"));
    const steps = sagaSpans(spans).filter((s) => s.name.startsWith("saga.execute") || s.name.startsWith("saga.compensate"));
    expect(steps.map((s) => [attr(s, Attr.SAGA_ACTION), attr(s, Attr.SAGA_STEP), attr(s, Attr.SAGA_STEP_OUTCOME)])).toEqual([
      ["execute", "reserveStock", "succeeded"],
      ["execute", "checkCredit", "succeeded"],
      ["execute", "chargePayment", "succeeded"],
      ["execute", "createShipment", "failed"],
      ["compensate", "chargePayment", "succeeded"],
      ["compensate", "reserveStock", "succeeded"],
    ]);
    expect(attr(steps[3], Attr.SAGA_REASON)).toMatch(/parcel limit/);
    expect(steps[3]!.status.code).not.toBe("ERROR"); // a refusal is an outcome, not an error
    const end = named(spans, "saga.end order")[0];
    expect([attr(end, Attr.SAGA_STATUS), attr(end, Attr.SAGA_REASON)]).toEqual(["compensated", row.reason]);
  });

  it("ends REJECTED with nothing to compensate when the first step fails", async () => {
    const order = await probe.placeOrder({ style: "saga", productId: "sku-rare-cup", quantity: 1000 });
    expect((await probe.waitForSettled(order.orderId)).status).toBe("REJECTED");
    const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.name === "saga.end order"));
    expect(sagaSpans(spans).some((s) => s.name.startsWith("saga.compensate"))).toBe(false);
  });
});
