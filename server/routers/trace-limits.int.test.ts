import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { createDb, isStatementTimeout, type Db } from "../db.ts";
import { insertSpans } from "../store/write.ts";
import type { StoredSpan } from "../store/types.ts";
import { bigTrace } from "../trace/fixtures/big-trace.ts";
import { buildSpanTree } from "../trace/span-tree.ts";
import { createCaller } from "./app-router.ts";
import { MAX_COMPARE_FLOWS } from "./flows.ts";
import type { InventoryApi, OrderApi } from "./service-clients.ts";
import { MAX_TRACE_PAGE_SPANS } from "./traces.ts";

// Issue 9: reads that a hostile (or just unlucky) request makes expensive are bounded. Every row
// this file writes has trace ids unique to this run and is deleted afterwards.
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
const fakeOrder: OrderApi = { placeOrder: vi.fn(), requestSaga: vi.fn(), listOrders: vi.fn(async () => []), getOrder: vi.fn(async () => { throw new Error("no orders here"); }) };
const fakeInventory: InventoryApi = { listProducts: vi.fn(async () => []) };
let db: Db;
const caller = (client: Db = db) => createCaller({ db: client, order: fakeOrder, inventory: fakeInventory });

const BIG = 10_001;
const big = bigTrace(hex(16), BIG, { startMs: Date.now() - 3_600_000 });
const small = bigTrace(hex(16), 40, { startMs: Date.now() - 3_500_000 });
const smallIds = Array.from({ length: MAX_COMPARE_FLOWS }, () => hex(16));
const smalls = smallIds.map((id, i) => bigTrace(id, 30, { startMs: Date.now() - 3_400_000 + i * 1_000 }));
const traceIds = [big[0]!.traceId, small[0]!.traceId, ...smallIds];

beforeAll(async () => {
  db = createDb(TEST_CONFIG.databaseUrl);
  await insertSpans(pool, [...big, ...small, ...smalls.flat()]);
});

afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [traceIds]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [traceIds]);
  await pool.end();
  await db.$disconnect();
});

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (message) expect((error as TRPCError).message).toMatch(message);
}

describe("statement timeout", () => {
  it("is set on every connection, and PostgreSQL cancels a read that runs longer", async () => {
    const quick = createDb(TEST_CONFIG.databaseUrl, { statementTimeoutMs: 50 });
    try {
      expect(await quick.$queryRaw`SHOW statement_timeout`).toEqual([{ statement_timeout: "50ms" }]);
      const error = await quick.$queryRaw`SELECT pg_sleep(2)`.then(() => null, (e: unknown) => e);
      expect(isStatementTimeout(error)).toBe(true);
      expect(await db.$queryRaw`SHOW statement_timeout`).toEqual([{ statement_timeout: "10s" }]);
    } finally {
      await quick.$disconnect();
    }
  });

  it("turns a router read cut off by the timeout into TIMEOUT with a readable message", async () => {
    const quick = createDb(TEST_CONFIG.databaseUrl, { statementTimeoutMs: 100 });
    // A lock held by another transaction makes the trace list wait; the wait counts toward the
    // timeout, so the read is cancelled as a slow query would be. Released right after.
    const blocker = await pool.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE telemetry.traces IN ACCESS EXCLUSIVE MODE");
      await expectTrpcError(caller(quick).traces.list({}), "TIMEOUT", /took longer than 0\.1 s; narrow the filter/);
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
      await quick.$disconnect();
    }
  });
});

describe("traces.get in pages", () => {
  it("answers at most 2,000 spans with the total and a cursor, and pages through the rest", async () => {
    const seen: StoredSpan[] = [];
    let cursor: { startNs: string; spanId: string } | null = null;
    let calls = 0;
    do {
      const page = await caller().traces.get({ traceId: big[0]!.traceId, view: "spans", cursor });
      if (page.view !== "spans") throw new Error("expected the spans view");
      expect(page.spans.length).toBeLessThanOrEqual(MAX_TRACE_PAGE_SPANS);
      expect(page.totalSpans).toBe(BIG);
      seen.push(...page.spans);
      cursor = page.nextCursor;
      calls += 1;
    } while (cursor && calls < 10);
    expect(calls).toBe(Math.ceil(BIG / MAX_TRACE_PAGE_SPANS));
    // Every span exactly once, in start order: what buildSpanTree of all pages needs.
    expect(seen.map((s) => s.spanId)).toEqual(big.map((s) => s.spanId));
    expect(buildSpanTree(seen).issues.orphanCount).toBe(0);
  });

  it("gives the tree of the first page, honours a smaller limit and refuses a bigger one", async () => {
    const first = await caller().traces.get({ traceId: big[0]!.traceId });
    if (first.view !== "tree") throw new Error("expected the tree view");
    expect(first.tree.rows).toHaveLength(MAX_TRACE_PAGE_SPANS);
    expect(first.nextCursor).toEqual({ startNs: big[MAX_TRACE_PAGE_SPANS - 1]!.startTimeUnixNano, spanId: big[MAX_TRACE_PAGE_SPANS - 1]!.spanId });
    const whole = await caller().traces.get({ traceId: small[0]!.traceId, view: "spans", limit: 40 });
    expect(whole).toMatchObject({ totalSpans: 40, nextCursor: null });
    const part = await caller().traces.get({ traceId: small[0]!.traceId, view: "spans", limit: 15 });
    expect(part.view === "spans" && part.spans).toHaveLength(15);
    await expectTrpcError(caller().traces.get({ traceId: big[0]!.traceId, limit: MAX_TRACE_PAGE_SPANS + 1 }), "BAD_REQUEST");
    await expectTrpcError(caller().traces.get({ traceId: big[0]!.traceId, cursor: { startNs: "x", spanId: "y" } }), "BAD_REQUEST");
  });
});

describe("flows.compare limits", () => {
  it("compares repeats of one trace as one flow", async () => {
    const id = small[0]!.traceId;
    const result = await caller().flows.compare({ traces: Array.from({ length: 8 }, () => id) });
    expect(result.rows.map((r) => r.traceId)).toEqual([id]);
    expect(result.flows).toHaveLength(1);
  });

  it(`compares up to ${MAX_COMPARE_FLOWS} different traces and refuses more`, async () => {
    const result = await caller().flows.compare({ traces: smallIds });
    expect(result.rows.map((r) => r.traceId)).toEqual(smallIds);
    await expectTrpcError(caller().flows.compare({ traces: [...smallIds, small[0]!.traceId] }), "BAD_REQUEST", /at most 4 different/);
  });

  it("refuses traces holding more spans together than it compares, naming the limit", async () => {
    await expectTrpcError(caller().flows.compare({ traces: [big[0]!.traceId, small[0]!.traceId] }), "BAD_REQUEST", /10,041 spans together; compare takes at most 10,000/);
  });

  it("still draws the flow of a trace within the single-flow limit", async () => {
    const flow = await caller().flows.get({ traceId: big[0]!.traceId });
    expect(flow.traceId).toBe(big[0]!.traceId);
  });
});
