/**
 * Issue 12: importing a trace file through the route's own handler into the real span store, then
 * reading it back through the dashboard's trace API (tRPC `traces.get`, the waterfall's tree).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { createDb, type Db } from "../db.ts";
import { createCaller } from "../routers/app-router.ts";
import type { InventoryApi, OrderApi } from "../routers/service-clients.ts";
import type { StoredSpan } from "../store/types.ts";
import { IMPORTED_KEY, IMPORT_FORMAT_KEY, ORIGINAL_TRACE_ID_KEY, type ImportStore } from "./import.ts";
import { ImportErrorBodySchema, ImportResultSchema } from "./import-result.ts";
import { handleImport } from "./import-route.ts";
import { createImportStore } from "./import-store.ts";
import { toOtlpJson } from "./otlp-json.ts";
import hotrod from "./fixtures/jaeger-hotrod.json" with { type: "json" };
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
const store = () => createImportStore(pool);
const HOTROD_TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";
const traceIds = [HOTROD_TRACE];
let db: Db;

const fakeOrder: OrderApi = { placeOrder: vi.fn(), requestSaga: vi.fn(), listOrders: vi.fn(async () => []), getOrder: vi.fn(async () => { throw new Error("no orders"); }) };
const fakeInventory: InventoryApi = { listProducts: vi.fn(async () => []) };

/** The order-flow fixture under a trace id of this run, started a minute ago. */
function orderFlowTrace(): StoredSpan[] {
  const traceId = randomBytes(16).toString("hex");
  traceIds.push(traceId);
  const shift = BigInt(Date.now() - 60_000) * 1_000_000n - 1_763_800_000_000_000_000n;
  const move = (ns: string) => (BigInt(ns) + shift).toString();
  return (orderFlow as unknown as StoredSpan[]).map((s) => ({
    ...s,
    traceId,
    startTimeUnixNano: move(s.startTimeUnixNano),
    endTimeUnixNano: move(s.endTimeUnixNano),
    events: s.events.map((e) => ({ ...e, timeUnixNano: move(e.timeUnixNano) })),
  }));
}

function post(body: string, query = "", headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://127.0.0.1:3000/api/traces/import${query}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  return handleImport(request, store);
}

/** The waterfall of a stored trace as `depth service: name` lines, via the dashboard's trace API. */
async function treeOf(traceId: string): Promise<string[]> {
  const page = await createCaller({ db, order: fakeOrder, inventory: fakeInventory }).traces.get({ traceId, view: "tree" });
  if (page.view !== "tree") throw new Error("expected the tree view");
  return page.tree.rows.map((r) => `${r.depth} ${r.span.serviceName}: ${r.span.name}`);
}

async function spansOf(traceId: string): Promise<StoredSpan[]> {
  const page = await createCaller({ db, order: fakeOrder, inventory: fakeInventory }).traces.get({ traceId, view: "spans" });
  if (page.view !== "spans") throw new Error("expected the spans view");
  return page.spans;
}

async function storedSpanCount(traceId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM telemetry.spans WHERE trace_id = $1", [traceId]);
  return rows[0]!.n;
}

async function deleteTraces(ids: readonly string[]): Promise<void> {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [ids]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [ids]);
}

beforeAll(async () => {
  db = createDb(TEST_CONFIG.databaseUrl);
  await deleteTraces([HOTROD_TRACE]); // the fixture's fixed id, from an earlier run
});

afterAll(async () => {
  await deleteTraces(traceIds);
  await pool.end();
  await db.$disconnect();
});

describe("importing an OTLP JSON file", () => {
  it("stores it through the write path; the trace API shows the same tree and spans, marked as imported", async () => {
    const original = orderFlowTrace();
    const traceId = original[0]!.traceId;
    const response = await post(JSON.stringify(toOtlpJson(original)));
    expect(response.status).toBe(201);
    const result = ImportResultSchema.parse(await response.json());
    expect(result).toEqual({ format: "otlp-json", stored: true, traces: [{ traceId, originalTraceId: null, spanCount: 5, rootName: "order: order.placeOrder" }] });

    expect(await treeOf(traceId)).toEqual([
      "0 order: order.placeOrder",
      "1 order: inventory.reserveStock",
      "2 inventory: inventory.reserveStock",
      "1 order: send order-events",
      "2 notification: process order-events",
    ]);
    const stored = new Map((await spansOf(traceId)).map((s) => [s.spanId, s]));
    for (const span of original) {
      expect(stored.get(span.spanId)).toEqual({ ...span, resource: { ...span.resource, [IMPORTED_KEY]: true, [IMPORT_FORMAT_KEY]: "otlp-json" } });
    }
  });

  it("refuses the same file again with 409 naming the trace, and stores a copy under a new id with rekey=1", async () => {
    const original = orderFlowTrace();
    const traceId = original[0]!.traceId;
    const file = JSON.stringify(toOtlpJson(original));
    expect((await post(file)).status).toBe(201);

    const again = await post(file);
    expect(again.status).toBe(409);
    const refusal = ImportErrorBodySchema.parse(await again.json());
    expect(refusal.traceIds).toEqual([traceId]);
    expect(refusal.error).toContain("already stored");
    expect(await storedSpanCount(traceId)).toBe(5);

    const copy = await post(file, "?rekey=1");
    expect(copy.status).toBe(201);
    const [copied] = ImportResultSchema.parse(await copy.json()).traces;
    traceIds.push(copied!.traceId);
    expect(copied).toMatchObject({ originalTraceId: traceId, spanCount: 5 });
    expect(copied!.traceId).not.toBe(traceId);
    expect(await treeOf(copied!.traceId)).toEqual(await treeOf(traceId));
    expect((await spansOf(copied!.traceId))[0]!.resource[ORIGINAL_TRACE_ID_KEY]).toBe(traceId);
  });
});

describe("importing a Jaeger JSON file (Jaeger's own export format)", () => {
  it("stores the trace; parents, kinds, status, events and processes come through the trace API", async () => {
    const response = await post(JSON.stringify(hotrod));
    expect(response.status).toBe(201);
    expect(ImportResultSchema.parse(await response.json())).toEqual({
      format: "jaeger-json",
      stored: true,
      traces: [{ traceId: HOTROD_TRACE, originalTraceId: null, spanCount: 11, rootName: "frontend: HTTP GET /dispatch" }],
    });
    expect(await treeOf(HOTROD_TRACE)).toEqual([
      "0 frontend: HTTP GET /dispatch",
      "1 frontend: HTTP GET: /customer",
      "2 customer: HTTP GET /customer",
      "3 mysql: SQL SELECT",
      "1 frontend: /driver.DriverService/FindNearest",
      "2 driver: /driver.DriverService/FindNearest",
      "3 redis-manual: FindDriverIDs",
      "3 redis-manual: GetDriver",
      "3 redis-manual: GetDriver",
      "1 route: HTTP GET /route",
      "0 frontend: send dispatch-notification",
    ]);
    const spans = await spansOf(HOTROD_TRACE);
    const failed = spans.find((s) => s.name === "GetDriver" && s.status.code === "ERROR");
    expect(failed).toMatchObject({ kind: "CLIENT", status: { message: "redis timeout" }, resource: { "service.name": "redis-manual", [IMPORTED_KEY]: true, [IMPORT_FORMAT_KEY]: "jaeger-json" } });
    expect(failed!.events.map((e) => e.name)).toEqual(["error", ""]);
    const notify = spans.find((s) => s.name === "send dispatch-notification");
    expect(notify!.links).toEqual([{ traceId: HOTROD_TRACE, spanId: "3a1d5b7c9e0f2a4b", attributes: {} }]);
  });
});

describe("bad input stores nothing", () => {
  const cases: [string, string, RegExp][] = [
    ["not JSON", "{ not json", /Not valid JSON/],
    ["neither format", JSON.stringify({ hello: "world" }), /Neither OTLP JSON/],
    ["an OTLP file without spans", JSON.stringify({ resourceSpans: [] }), /no spans/],
    ["Jaeger JSON of the wrong shape", JSON.stringify({ data: [{ spans: [{ spanID: "xyz" }] }] }), /Not a valid Jaeger JSON file: .*spanID/],
  ];
  for (const [what, body, message] of cases) {
    it(`answers 400 for ${what}`, async () => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(ImportErrorBodySchema.parse(await response.json()).error).toMatch(message);
    });
  }

  it("answers 400 naming the span when one span of a file is invalid, and stores none of the others", async () => {
    const spans = orderFlowTrace();
    const traceId = spans[0]!.traceId;
    const file = toOtlpJson(spans);
    file.resourceSpans[1]!.scopeSpans[0]!.spans[0]!.endTimeUnixNano = "1";
    const response = await post(JSON.stringify(file));
    expect(response.status).toBe(400);
    expect(ImportErrorBodySchema.parse(await response.json()).error).toMatch(/1 invalid span\(s\), nothing imported: span [0-9a-f]{16} of trace [0-9a-f]{32}: endTimeUnixNano before/);
    expect(await storedSpanCount(traceId)).toBe(0);
  });

  it("answers 413 past 32 MiB, from the declared length or the bytes read, before touching the store", async () => {
    const touched = vi.fn();
    const spy: () => ImportStore = () => ({ findStoredTraceIds: touched, insertSpans: touched });
    const big = "x".repeat(32 * 1024 * 1024 + 1);
    const declared = new Request("http://127.0.0.1:3000/api/traces/import", { method: "POST", body: "{}", headers: { "content-length": String(big.length) } });
    expect((await handleImport(declared, spy)).status).toBe(413);
    const streamed = new Request("http://127.0.0.1:3000/api/traces/import", { method: "POST", body: big });
    const response = await handleImport(streamed, spy);
    expect(response.status).toBe(413);
    expect(ImportErrorBodySchema.parse(await response.json()).error).toContain("32 MiB");
    expect(touched).not.toHaveBeenCalled();
  });

  it("refuses a cross-site POST (403) as the dashboard's other writes", async () => {
    const spans = orderFlowTrace();
    const response = await post(JSON.stringify(toOtlpJson(spans)), "", { "sec-fetch-site": "cross-site" });
    expect(response.status).toBe(403);
    expect(await storedSpanCount(spans[0]!.traceId)).toBe(0);
  });
});
