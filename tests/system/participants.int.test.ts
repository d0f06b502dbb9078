/**
 * The participant services (payment, inventory, shipping, notification, analytics) as real
 * processes on the test slot: their tRPC APIs (idempotent charge/refund/release, declines as
 * answers), the credit-check request/reply, and the choreography driven by events this test
 * writes to the order schema's outbox (it plays the order service, which is not started here).
 */
import { randomUUID } from "node:crypto";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import { Worker } from "bullmq";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoCustomers, Events, Queues, type CreditCheckReply, type EventEnvelope, type OrderStyle } from "../../services/contracts/index.ts";
import { startSystem, TEST_CONFIG, type RunningSystem } from "../../scripts/launcher/index.ts";
import { createServiceDb, type Db } from "../../services/order/db.ts";
import { createJobSender, requestReplyAttributes, sendCommand, type JobSender } from "../../services/kit/messaging.ts";
import { enqueueEvent } from "../../services/kit/outbox.ts";
import { startOutboxRelay, type OutboxRelay } from "../../services/kit/outbox-relay.ts";
import type { InventoryRouter } from "../../services/inventory/router.ts";
import type { PaymentRouter } from "../../services/payment/router.ts";
import type { ShippingRouter } from "../../services/shipping/router.ts";
import { DEFAULT_CREDIT_LIMIT_CENTS } from "../../services/payment/domain/credit.ts";
import { lastLines, waitFor } from "../support/wait-for.ts";

let system: RunningSystem;
let pool: pg.Pool;
let db: Db;
let sender: JobSender;
let relay: OutboxRelay;
const logs: string[] = [];
const connection = { redisUrl: TEST_CONFIG.redisUrl, prefix: TEST_CONFIG.redisPrefix };
let payment: TRPCClient<PaymentRouter>;
let inventory: TRPCClient<InventoryRouter>;
let shipping: TRPCClient<ShippingRouter>;

/** Every wait's timeout message ends with what the processes printed last. */
const WITH_LOGS = { context: lastLines(logs) };

async function one<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T | undefined> {
  return (await pool.query<T>(sql, params)).rows[0];
}

const available = async (customerId: string) =>
  (await one<{ available_cents: number }>("SELECT available_cents FROM payment.accounts WHERE customer_id = $1", [customerId]))?.available_cents;
const stockOf = async (productId: string) => (await one<{ stock: number }>("SELECT stock FROM inventory.products WHERE id = $1", [productId]))!.stock;

beforeAll(async () => {
  system = await startSystem({
    ...TEST_CONFIG,
    processes: ["collector", "inventory", "payment", "shipping", "notification", "analytics"],
    output: (line) => logs.push(line),
  });
  pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl });
  await pool.query(`UPDATE inventory.products SET stock = 500 WHERE id = 'sku-filter'`);
  db = createServiceDb(TEST_CONFIG.databaseUrl);
  sender = createJobSender(connection);
  relay = startOutboxRelay({ databaseUrl: TEST_CONFIG.databaseUrl, schema: "orders", connection, log: (line) => logs.push(line) });
  payment = createTRPCClient<PaymentRouter>({ links: [httpLink({ url: `${system.urls.payment}/trpc` })] });
  inventory = createTRPCClient<InventoryRouter>({ links: [httpLink({ url: `${system.urls.inventory}/trpc` })] });
  shipping = createTRPCClient<ShippingRouter>({ links: [httpLink({ url: `${system.urls.shipping}/trpc` })] });
});

afterAll(async () => {
  await relay?.stop();
  await sender?.close();
  await db?.$disconnect();
  await pool?.end();
  await system?.stop();
});

describe("payment", () => {
  it("charges once per idempotency key, even for concurrent repeats", async () => {
    const customerId = `it-${randomUUID()}`;
    const input = { orderId: randomUUID(), customerId, amountCents: 1234, idempotencyKey: `key-${randomUUID()}` };
    const results = await Promise.all([1, 2, 3].map(() => payment.payment.chargePayment.mutate(input)));
    expect(results.every((r) => r.charged && r.paymentId === results[0]!.paymentId)).toBe(true);
    expect(await available(customerId)).toBe(DEFAULT_CREDIT_LIMIT_CENTS - 1234);
    expect((await payment.payment.getPayment.query({ orderId: input.orderId }))?.status).toBe("CHARGED");
  });

  it("answers a decline (no error) for a customer without credit", async () => {
    const orderId = randomUUID();
    const result = await payment.payment.chargePayment.mutate({ orderId, customerId: DemoCustomers.BROKE, amountCents: 500, idempotencyKey: `key-${orderId}` });
    expect(result).toMatchObject({ charged: false, reason: expect.stringMatching(/declined/) });
    expect((await payment.payment.getPayment.query({ orderId }))?.status).toBe("DECLINED");
  });

  it("refunds once when asked twice, and refuses a charge that arrives after its order's refund", async () => {
    const customerId = `it-${randomUUID()}`;
    const orderId = randomUUID();
    await payment.payment.chargePayment.mutate({ orderId, customerId, amountCents: 9900, idempotencyKey: `key-${orderId}` });
    const refunds = await Promise.all([1, 2].map(() => payment.payment.refundPayment.mutate({ orderId, reason: "test" })));
    expect(refunds.every((r) => r.refunded)).toBe(true);
    expect(await available(customerId)).toBe(DEFAULT_CREDIT_LIMIT_CENTS);
    const lateOrder = randomUUID();
    expect(await payment.payment.refundPayment.mutate({ orderId: lateOrder, reason: "timed out" })).toEqual({ refunded: false, paymentId: null });
    const late = await payment.payment.chargePayment.mutate({ orderId: lateOrder, customerId, amountCents: 100, idempotencyKey: `key-${lateOrder}` });
    expect(late.charged).toBe(false);
    expect(await available(customerId)).toBe(DEFAULT_CREDIT_LIMIT_CENTS);
  });

  it("rejects a bad input with a clear error and changes nothing", async () => {
    const orderId = randomUUID();
    await expect(payment.payment.chargePayment.mutate({ orderId, customerId: "x", amountCents: -5, idempotencyKey: "short" })).rejects.toThrow(/amountCents|idempotencyKey/);
    expect(await payment.payment.getPayment.query({ orderId })).toBeNull();
  });
});

describe("inventory", () => {
  it("releases a reservation once when asked twice", async () => {
    const before = await stockOf("sku-filter");
    const orderId = randomUUID();
    expect((await inventory.inventory.reserveStock.mutate({ orderId, productId: "sku-filter", quantity: 3 })).reserved).toBe(true);
    expect(await stockOf("sku-filter")).toBe(before - 3);
    const releases = await Promise.all([1, 2].map(() => inventory.inventory.releaseStock.mutate({ orderId, reason: "test" })));
    expect(releases.every((r) => r.released)).toBe(true);
    expect(await stockOf("sku-filter")).toBe(before);
    // A retry of the reserve after the release must not take the stock again.
    expect((await inventory.inventory.reserveStock.mutate({ orderId, productId: "sku-filter", quantity: 3 })).reserved).toBe(false);
    expect(await stockOf("sku-filter")).toBe(before);
  });
});

describe("shipping", () => {
  it("creates once per order and refuses parcels over the size limit as an answer", async () => {
    const orderId = randomUUID();
    const input = { orderId, customerId: "it", productId: "sku-filter", quantity: 2 };
    const [a, b] = await Promise.all([shipping.shipping.createShipment.mutate(input), shipping.shipping.createShipment.mutate(input)]);
    expect(a.created && b.created && a.shipmentId === b.shipmentId).toBe(true);
    expect(await shipping.shipping.cancelShipment.mutate({ orderId, reason: "test" })).toEqual({ cancelled: true });
    expect((await shipping.shipping.getShipment.query({ orderId }))?.status).toBe("CANCELLED");
    const big = await shipping.shipping.createShipment.mutate({ ...input, orderId: randomUUID(), quantity: 25 });
    expect(big).toMatchObject({ created: false, reason: expect.stringMatching(/parcel limit/) });
  });
});

describe("credit check (async request/reply)", () => {
  it("answers each request on its reply-to queue with the same correlation id", async () => {
    const replyTo = `credit-check-replies.it-${randomUUID().slice(0, 8)}`;
    const replies = new Map<string, CreditCheckReply>();
    const worker = new Worker<CreditCheckReply>(replyTo, async (job) => void replies.set(job.data.correlationId, job.data), {
      connection: { url: connection.redisUrl, maxRetriesPerRequest: null }, prefix: connection.prefix,
    });
    try {
      const requests = [`it-${randomUUID()}`, DemoCustomers.FRAUD].map((customerId) => ({
        messageId: randomUUID(), correlationId: randomUUID(), replyTo, orderId: randomUUID(), customerId, amountCents: 5000,
        requestedAt: new Date().toISOString(),
      }));
      for (const request of requests) {
        await sendCommand(sender, Queues.CREDIT_CHECK_REQUESTS, "CreditCheckRequest", request, {
          messageId: request.messageId, attributes: requestReplyAttributes("request", request.correlationId, replyTo),
        });
      }
      await waitFor("both replies", () => replies.size === 2, WITH_LOGS);
      expect(replies.get(requests[0]!.correlationId)).toMatchObject({ approved: true, orderId: requests[0]!.orderId });
      expect(replies.get(requests[1]!.correlationId)).toMatchObject({ approved: false, reason: expect.stringMatching(/credit check/) });
    } finally {
      await worker.close();
    }
  });
});

/** Plays the order service: OrderCreated through the orders outbox, as the real one will. */
async function createOrder(style: OrderStyle, quantity: number): Promise<EventEnvelope> {
  const event: EventEnvelope = {
    messageId: randomUUID(), name: Events.ORDER_CREATED, orderId: randomUUID(), style, occurredAt: new Date().toISOString(),
    order: { customerId: `it-${randomUUID()}`, productId: "sku-filter", quantity, amountCents: 600 * quantity }, reason: null,
  };
  await db.$transaction((tx) => enqueueEvent(tx, "orders", event));
  return event;
}

const eventsOf = async (orderId: string): Promise<string[]> => {
  const { rows } = await pool.query<{ event_name: string }>(
    `SELECT event_name FROM payment.outbox WHERE payload->>'orderId' = $1 UNION ALL
     SELECT event_name FROM inventory.outbox WHERE payload->>'orderId' = $1 UNION ALL
     SELECT event_name FROM shipping.outbox WHERE payload->>'orderId' = $1`, [orderId]);
  return rows.map((r) => r.event_name).sort();
};

describe("choreography", () => {
  it("OrderCreated -> PaymentCompleted -> InventoryReserved -> ShipmentCreated, no coordinator", async () => {
    const order = await createOrder("choreography", 2);
    await waitFor("shipment", async () => (await shipping.shipping.getShipment.query({ orderId: order.orderId }))?.status === "CREATED", WITH_LOGS);
    expect((await payment.payment.getPayment.query({ orderId: order.orderId }))?.status).toBe("CHARGED");
    expect(await eventsOf(order.orderId)).toEqual([Events.INVENTORY_RESERVED, Events.PAYMENT_COMPLETED, Events.SHIPMENT_CREATED]);
    await waitFor("notifications", async () => {
      const row = await one<{ n: number }>("SELECT count(*)::int AS n FROM notification.notifications WHERE order_id = $1", [order.orderId]);
      return row?.n === 2; // OrderCreated and ShipmentCreated
    }, WITH_LOGS);
  });

  it("a refused shipment makes payment refund and inventory release; stock and credit are restored", async () => {
    const stockBefore = await stockOf("sku-filter");
    const order = await createOrder("choreography", 25);
    await waitFor("compensations", async () => {
      const names = await eventsOf(order.orderId);
      return names.includes(Events.PAYMENT_REFUNDED) && names.includes(Events.INVENTORY_RELEASED);
    }, WITH_LOGS);
    expect(await eventsOf(order.orderId)).toEqual([
      Events.INVENTORY_RELEASED, Events.INVENTORY_RESERVED, Events.PAYMENT_COMPLETED, Events.PAYMENT_REFUNDED, Events.SHIPMENT_REJECTED,
    ]);
    expect((await payment.payment.getPayment.query({ orderId: order.orderId }))?.status).toBe("REFUNDED");
    expect(await available(order.order.customerId)).toBe(DEFAULT_CREDIT_LIMIT_CENTS);
    expect(await stockOf("sku-filter")).toBe(stockBefore);
  });

  it("a declined payment ends the chain with PaymentDeclined and nothing else", async () => {
    const event = await createOrder("choreography", 1);
    const broke = { ...event, messageId: randomUUID(), orderId: randomUUID(), order: { ...event.order, customerId: DemoCustomers.BROKE } };
    await db.$transaction((tx) => enqueueEvent(tx, "orders", broke));
    await waitFor("decline", async () => (await eventsOf(broke.orderId)).includes(Events.PAYMENT_DECLINED), WITH_LOGS);
    expect(await eventsOf(broke.orderId)).toEqual([Events.PAYMENT_DECLINED]);
  });

  it("hybrid: shipping books the shipment from OrderCreated; analytics counts each event once", async () => {
    const order = await createOrder("hybrid", 1);
    await waitFor("hybrid shipment", async () => (await eventsOf(order.orderId)).includes(Events.SHIPMENT_CREATED), WITH_LOGS);
    expect(await payment.payment.getPayment.query({ orderId: order.orderId })).toBeNull();
    await waitFor("analytics", async () => {
      const row = await one<{ n: number }>(
        "SELECT count(*)::int AS n FROM analytics.processed_messages WHERE message_id = $1", [order.messageId]);
      return row?.n === 1;
    }, WITH_LOGS);
  });
});
