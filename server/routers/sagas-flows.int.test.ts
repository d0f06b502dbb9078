import { randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Order } from "../../services/contracts/index.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { createDb, type Db } from "../db.ts";
import { insertSpans } from "../store/write.ts";
import type { StoredSpan } from "../store/types.ts";
import compensatedJson from "../saga/fixtures/compensated.json" with { type: "json" };
import resumedJson from "../saga/fixtures/resumed.json" with { type: "json" };
import syncChainJson from "../flow/fixtures/sync-chain.json" with { type: "json" };
import { createCaller } from "./app-router.ts";
import type { InventoryApi, OrderApi } from "./service-clients.ts";

// Every row this file writes has trace ids and saga ids unique to this run; deleted afterwards.
const TEST_DB_URL = TEST_CONFIG.databaseUrl;
const runId = randomBytes(4).toString("hex");
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const pool = new pg.Pool({ connectionString: TEST_DB_URL, max: 2 });
let db: Db;

/** Fixture spans moved to now, with fresh trace ids (one per original trace) and saga/order ids. */
function reseed(spans: StoredSpan[], sagaId: string, orderId: string): StoredSpan[] {
  const ids = new Map<string, string>();
  const first = spans.reduce((min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min), BigInt(spans[0]!.startTimeUnixNano));
  const shift = BigInt(Date.now() - 60_000) * 1_000_000n - first;
  const traceOf = (id: string) => ids.get(id) ?? (ids.set(id, hex(16)), ids.get(id)!);
  return spans.map((s) => ({
    ...s,
    traceId: traceOf(s.traceId),
    links: s.links.map((l) => ({ ...l, traceId: traceOf(l.traceId) })),
    startTimeUnixNano: (BigInt(s.startTimeUnixNano) + shift).toString(),
    endTimeUnixNano: (BigInt(s.endTimeUnixNano) + shift).toString(),
    attributes: { ...s.attributes, ...(s.attributes["app.saga.id"] ? { "app.saga.id": sagaId, "app.order.id": orderId } : {}) },
  }));
}

const compensatedOrder = randomUUID();
const compensated = reseed(compensatedJson as unknown as StoredSpan[], `int-${runId}-comp`, compensatedOrder);
const resumed = reseed(resumedJson as unknown as StoredSpan[], `int-${runId}-res`, randomUUID());
const syncOrder = randomUUID();
const syncChain = reseed(syncChainJson as unknown as StoredSpan[], "", syncOrder).map((s) => ({ ...s, attributes: { ...s.attributes, "app.order.id": syncOrder } }));
const all = [...compensated, ...resumed, ...syncChain];
const traceIds = [...new Set(all.map((s) => s.traceId))];

const order: Order = {
  id: syncOrder, customerId: "c", productId: "p", quantity: 1, style: "sync", status: "COMPLETED", reason: null,
  traceId: syncChain[0]!.traceId, createdAt: "2026-11-22T08:00:00.000Z", completedAt: "2026-11-22T08:00:00.200Z", recovery: null,
};
const getOrder = vi.fn(async ({ orderId }: { orderId: string }) => {
  if (orderId !== syncOrder) throw new TRPCError({ code: "NOT_FOUND", message: "no such order" });
  return order;
});
const fakeOrder: OrderApi = { placeOrder: vi.fn(), requestSaga: vi.fn(), listOrders: vi.fn(async () => [order]), getOrder };
const fakeInventory: InventoryApi = { listProducts: vi.fn(async () => []) };
const caller = () => createCaller({ db, order: fakeOrder, inventory: fakeInventory });

beforeAll(async () => {
  db = createDb(TEST_DB_URL);
  await insertSpans(pool, all);
});

afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [traceIds]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [traceIds]);
  await pool.end();
  await db.$disconnect();
});

describe("sagas router", () => {
  it("lists sagas rebuilt from stored spans, filtered by status and search", async () => {
    const { items, styles } = await caller().sagas.list({ search: `int-${runId}` });
    // The style filter offers the styles sagas ran in, not every order style.
    expect(styles).toContain("saga");
    expect(styles).not.toContain("sync");
    expect(items.map((s) => [s.sagaId, s.status]).sort()).toEqual([
      [`int-${runId}-comp`, "compensated"],
      [`int-${runId}-res`, "completed"],
    ]);
    const onlyCompensated = await caller().sagas.list({ search: `int-${runId}`, status: "compensated" });
    expect(onlyCompensated.items.map((s) => s.sagaId)).toEqual([`int-${runId}-comp`]);
  });

  it("gets one saga across the two traces it ran in, and finds a saga by its order", async () => {
    const { saga } = await caller().sagas.get({ sagaId: `int-${runId}-res` });
    expect(saga.traceIds).toHaveLength(2);
    expect(saga.markers.map((m) => m.kind)).toEqual(["start", "resume", "end"]);
    const comp = await caller().sagas.get({ sagaId: `int-${runId}-comp` });
    expect(comp.saga.compensationOrder).toEqual(["chargePayment", "reserveStock"]);
    expect(await caller().sagas.ofOrder({ orderId: compensatedOrder })).toEqual({ sagaId: `int-${runId}-comp` });
    expect(await caller().sagas.ofOrder({ orderId: randomUUID() })).toEqual({ sagaId: null });
  });

  it("answers NOT_FOUND for an unknown saga and BAD_REQUEST for a malformed id", async () => {
    await expect(caller().sagas.get({ sagaId: `int-${runId}-nope` })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller().sagas.get({ sagaId: "no spaces allowed" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("flows router", () => {
  it("builds the flow of a stored trace", async () => {
    const flow = await caller().flows.get({ traceId: syncChain[0]!.traceId });
    expect(flow.lanes.map((l) => l.name)).toEqual(["order", "inventory", "payment", "shipping"]);
    expect(flow.stats.hops).toBe(3);
    await expect(caller().flows.get({ traceId: hex(16) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("compares by order id and by trace id, reporting what it could not find", async () => {
    const missingOrder = randomUUID();
    const result = await caller().flows.compare({ orders: [syncOrder, missingOrder], traces: [compensated[0]!.traceId] });
    expect(result.rows.map((r) => [r.style, r.outcome, r.latencySource])).toEqual([
      ["sync", "COMPLETED", "order"],
      [null, "error", "trace"],
    ]);
    expect(result.rows[0]!.latencyNs).toBe(200_000_000);
    expect(result.missing).toEqual([missingOrder]);
    await expect(caller().flows.compare({})).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
