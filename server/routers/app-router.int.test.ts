import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "../db.ts";
import { insertSpans } from "../store/write.ts";
import type { StoredSpan } from "../store/types.ts";
import orderFlow from "../trace/fixtures/order-flow.json" with { type: "json" };
import { createCaller } from "./app-router.ts";
import { createGatewayOrderApi, type InventoryApi, type OrderApi } from "./service-clients.ts";
import type { Order } from "../../services/contracts/index.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

// Own database, shared with other integration tests: every row this file writes carries trace
// ids and a service name unique to this run, and is deleted afterwards.
const TEST_DB_URL = TEST_CONFIG.databaseUrl;
const runId = randomBytes(4).toString("hex");
const service = `dash-test-${runId}`;
const hex = (bytes: number) => randomBytes(bytes).toString("hex");

const pool = new pg.Pool({ connectionString: TEST_DB_URL, max: 2 });
let db: Db;

/** The order-flow fixture under a fresh trace id, moved `shiftMs` later, one span in our service. */
function seededTrace(shiftMs: number, withError: boolean): StoredSpan[] {
  const traceId = hex(16);
  const shift = BigInt(shiftMs) * 1_000_000n;
  return (orderFlow as unknown as StoredSpan[]).map((span) => ({
    ...span,
    traceId,
    serviceName: span.parentSpanId === null ? service : span.serviceName,
    startTimeUnixNano: (BigInt(span.startTimeUnixNano) + shift).toString(),
    endTimeUnixNano: (BigInt(span.endTimeUnixNano) + shift).toString(),
    status: withError && span.parentSpanId === null ? { code: "ERROR", message: "boom" } : span.status,
  }));
}

const placedAt = "2026-11-22T08:00:00.000Z";
const fakeOrders: Order[] = [
  { id: "7d3c9a52-5d2b-4a8e-9a43-0c1f7c2c1a01", customerId: "c", productId: "p1", quantity: 1, style: "saga", status: "COMPENSATED", reason: "payment declined", traceId: null, createdAt: placedAt, completedAt: "2026-11-22T08:00:01.250Z", recovery: null },
  { id: "7d3c9a52-5d2b-4a8e-9a43-0c1f7c2c1a02", customerId: "c", productId: "p1", quantity: 1, style: "choreography", status: "PENDING", reason: null, traceId: null, createdAt: placedAt, completedAt: null, recovery: null },
];
const fakeOrder: OrderApi = { placeOrder: vi.fn(), requestSaga: vi.fn(), listOrders: vi.fn(async () => fakeOrders), getOrder: vi.fn(async () => fakeOrders[0]!) };
const fakeInventory: InventoryApi = { listProducts: vi.fn(async () => []) };
const caller = () => createCaller({ db, order: fakeOrder, inventory: fakeInventory });

const traces = [seededTrace(0, false), seededTrace(1_000, true), seededTrace(2_000, false)];
const traceIds = traces.map((spans) => spans[0]!.traceId);

beforeAll(async () => {
  db = createDb(TEST_DB_URL);
  for (const spans of traces) await insertSpans(pool, spans);
});

afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [traceIds]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [traceIds]);
  await pool.end();
  await db.$disconnect();
});

async function expectTrpcCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof TRPCError && error.code === code);
}

describe("traces router against the span store", () => {
  it("lists the seeded traces' summaries, newest first, filtered by service", async () => {
    const { items, nextCursor } = await caller().traces.list({ service });
    expect(items.map((t) => t.traceId)).toEqual([...traceIds].reverse());
    expect(items[0]).toMatchObject({ rootName: "order.placeOrder", rootService: service, spanCount: 5 });
    expect(items[0]!.services).toEqual(expect.arrayContaining([service, "inventory", "notification"]));
    expect(nextCursor).toBeNull();
  });

  it("pages with the cursor without repeating or skipping a trace", async () => {
    const first = await caller().traces.list({ service, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1]!.startTimeUnixNano);
    const second = await caller().traces.list({ service, limit: 2, cursor: first.nextCursor });
    expect(second.items.map((t) => t.traceId)).toEqual([traceIds[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it("filters to traces with errors, and by trace id search", async () => {
    const errors = await caller().traces.list({ service, hasError: true });
    expect(errors.items.map((t) => t.traceId)).toEqual([traceIds[1]]);
    const found = await caller().traces.list({ search: traceIds[2]!.slice(0, 12) });
    expect(found.items.map((t) => t.traceId)).toEqual([traceIds[2]]);
  });

  it("returns a trace as a tree in display order, or as raw spans", async () => {
    const tree = await caller().traces.get({ traceId: traceIds[0]! });
    if (tree.view !== "tree") throw new Error("expected the tree view");
    expect(tree.tree.rows.map((r) => r.depth)).toEqual([0, 1, 2, 1, 2]);
    expect(tree.tree.rows[0]!.span.serviceName).toBe(service);
    const raw = await caller().traces.get({ traceId: traceIds[0]!, view: "spans" });
    expect(raw.view === "spans" && raw.spans).toHaveLength(5);
  });

  it("returns one trace's summary, NOT_FOUND for an id that is only a prefix match", async () => {
    const summary = await caller().traces.summary({ traceId: traceIds[1]! });
    expect(summary).toMatchObject({ traceId: traceIds[1], errorCount: 1, spanCount: 5 });
    await expectTrpcCode(caller().traces.summary({ traceId: hex(16) }), "NOT_FOUND");
  });

  it("lists the services seen, including this run's", async () => {
    expect(await caller().traces.services()).toContain(service);
  });

  it("answers NOT_FOUND for an unknown trace and BAD_REQUEST for malformed input", async () => {
    await expectTrpcCode(caller().traces.get({ traceId: hex(16) }), "NOT_FOUND");
    await expectTrpcCode(caller().traces.get({ traceId: "not-a-trace-id" }), "BAD_REQUEST");
    await expectTrpcCode(caller().traces.list({ limit: 0 }), "BAD_REQUEST");
    await expectTrpcCode(caller().traces.list({ cursor: "yesterday" }), "BAD_REQUEST");
    // 20 digits pass a digits-only check but not PostgreSQL's int8: refused up front, not a 500.
    await expectTrpcCode(caller().traces.list({ cursor: "99999999999999999999" }), "BAD_REQUEST");
    await expectTrpcCode(caller().traces.list({ cursor: "9223372036854775808" }), "BAD_REQUEST");
    expect((await caller().traces.list({ cursor: "9223372036854775807", limit: 1 })).items.length).toBeLessThanOrEqual(1);
  });
});

describe("orders router", () => {
  it("rejects a bad order before calling the order service", async () => {
    await expectTrpcCode(caller().orders.place({ productId: "p1", quantity: 0, customerId: "c" }), "BAD_REQUEST");
    expect(fakeOrder.placeOrder).not.toHaveBeenCalled();
  });

  it("lists orders with style, status and the duration of finished flows", async () => {
    const listed = await caller().orders.list({ limit: 10 });
    expect(listed.map((o) => [o.style, o.status, o.durationMs])).toEqual([["saga", "COMPENSATED", 1250], ["choreography", "PENDING", null]]);
  });

  it("reports an unreachable gateway as SERVICE_UNAVAILABLE", async () => {
    // Port 9 (discard) is closed on the test host: the call fails at connect.
    const order = createGatewayOrderApi({ baseUrl: "http://127.0.0.1:9", apiKey: async () => `sy_${"k".repeat(43)}` });
    const offline = createCaller({ db, order, inventory: fakeInventory });
    await expectTrpcCode(offline.orders.place({ productId: "p1", quantity: 1, customerId: "c" }), "SERVICE_UNAVAILABLE");
  });
});
