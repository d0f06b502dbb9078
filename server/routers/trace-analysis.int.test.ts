import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "../db.ts";
import { insertSpans } from "../store/write.ts";
import type { StoredSpan } from "../store/types.ts";
import orderFlow from "../trace/fixtures/order-flow.json" with { type: "json" };
import { createCaller } from "./app-router.ts";
import type { InventoryApi, OrderApi } from "./service-clients.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

// Rows carry trace ids unique to this run and are deleted afterwards (shared test database).
const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
let db: Db;
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const fakeOrder: OrderApi = { placeOrder: vi.fn(), requestSaga: vi.fn(), listOrders: vi.fn(async () => []), getOrder: vi.fn() };
const fakeInventory: InventoryApi = { listProducts: vi.fn(async () => []) };
const caller = () => createCaller({ db, order: fakeOrder, inventory: fakeInventory });

/** The order-flow fixture under a fresh trace id; `dropNotification` leaves out the async consumer. */
function seeded(dropNotification: boolean): StoredSpan[] {
  const traceId = hex(16);
  return (orderFlow as unknown as StoredSpan[])
    .filter((s) => !(dropNotification && s.serviceName === "notification"))
    .map((s) => ({ ...s, traceId }));
}
const full = seeded(false);
const partial = seeded(true);
const [a, b] = [full[0]!.traceId, partial[0]!.traceId];

beforeAll(async () => {
  db = createDb(TEST_CONFIG.databaseUrl);
  await insertSpans(pool, full);
  await insertSpans(pool, partial);
});

afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [[a, b]]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [[a, b]]);
  await pool.end();
  await db.$disconnect();
});

describe("traceAnalysis.compare", () => {
  it("summarises both traces and diffs the second against the first", async () => {
    const result = await caller().traceAnalysis.compare({ traceIds: [a, b] });
    expect(result.missing).toEqual([]);
    expect(result.traces.map((t) => [t.traceId, t.spanCount])).toEqual([[a, full.length], [b, partial.length]]);
    expect(result.traces[0]!.responseTimeNs).toBeLessThan(result.traces[0]!.traceDurationNs);
    const [{ traceId, diff }] = result.diffs as [(typeof result.diffs)[number]];
    expect(traceId).toBe(b);
    const gone = diff.rows.filter((r) => r.status === "onlyA");
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((r) => r.service === "notification")).toBe(true);
    expect(diff.onlyB).toBe(0);
  });

  it("names an unknown trace instead of failing, and refuses bad input with a clear message", async () => {
    const unknown = hex(16);
    const result = await caller().traceAnalysis.compare({ traceIds: [a, unknown] });
    expect(result).toMatchObject({ missing: [unknown], diffs: [] });
    expect(result.traces.map((t) => t.traceId)).toEqual([a]);
    await expect(caller().traceAnalysis.compare({ traceIds: [a] })).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === "BAD_REQUEST");
    await expect(caller().traceAnalysis.compare({ traceIds: [a, a] })).rejects.toThrow(/named twice/);
    await expect(caller().traceAnalysis.compare({ traceIds: [a, "nope"] })).rejects.toThrow(/32 lower-case hex/);
  });
});
