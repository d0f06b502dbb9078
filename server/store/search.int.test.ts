/**
 * Trace search over the real store (issue 12): spans go in through the collector's write path
 * (insertSpans: COPY, the traces fold), searches come out through the traces router. Every row
 * carries ids and a customer id unique to this run, each query is scoped to that customer, and
 * the rows are deleted afterwards.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Attr } from "../../services/contracts/semconv.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { createDb, type Db } from "../db.ts";
import { createCaller } from "../routers/app-router.ts";
import type { InventoryApi, OrderApi } from "../routers/service-clients.ts";
import type { Attributes, StoredSpan } from "./types.ts";
import { insertSpans } from "./write.ts";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const run = hex(4);
const customer = `search-${run}`;
const scope = `${Attr.CUSTOMER_ID}=${customer}`;
const host = `host-${run}`;
const svc = { order: `order-${run}`, payment: `payment-${run}` };
const MS = 1_000_000n;
const NOW = BigInt(Date.now()) * MS;

const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
const fakeOrder: OrderApi = { placeOrder: vi.fn(), requestSaga: vi.fn(), listOrders: vi.fn(async () => []), getOrder: vi.fn() };
const fakeInventory: InventoryApi = { listProducts: vi.fn(async () => []) };
let db: Db;
const caller = () => createCaller({ db, order: fakeOrder, inventory: fakeInventory });

type TraceSpec = { agoMs: number; durationMs: number; root: Attributes; child: Attributes; childName: string; error?: boolean; resource?: Attributes };

/** A root span in the order service (carrying the run's customer id) and one payment child. */
function trace(spec: TraceSpec): StoredSpan[] {
  const traceId = hex(16);
  const rootId = hex(8);
  const start = NOW - BigInt(spec.agoMs) * MS;
  const end = start + BigInt(spec.durationMs) * MS;
  const span = (name: string, service: string, attributes: Attributes, parent: string | null, resource: Attributes): StoredSpan => ({
    traceId, spanId: parent === null ? rootId : hex(8), parentSpanId: parent, name, kind: parent === null ? "SERVER" : "INTERNAL",
    serviceName: service, startTimeUnixNano: start.toString(), endTimeUnixNano: (parent === null ? end : start + MS).toString(),
    durationNs: "0", status: { code: parent !== null && spec.error ? "ERROR" : "UNSET", message: null }, attributes, events: [], links: [],
    resource: { [Attr.SERVICE_NAME]: service, ...resource }, scopeName: null,
  });
  return [
    span("order.placeOrder", svc.order, { [Attr.CUSTOMER_ID]: customer, ...spec.root }, null, spec.resource ?? {}),
    span(spec.childName, svc.payment, spec.child, rootId, {}),
  ];
}

const orderA = randomUUID();
const orderB = randomUUID();
const messageB = randomUUID();
const correlationB = randomUUID();
const sagaC = randomUUID();
const traces = {
  // saga order, fast, its order process on a host of its own
  a: trace({ agoMs: 5 * 60_000, durationMs: 50, root: { [Attr.ORDER_ID]: orderA, [Attr.ORDER_STYLE]: "saga", [Attr.HTTP_RESPONSE_STATUS_CODE]: 200 }, child: {}, childName: "payment.chargePayment", resource: { [Attr.HOST_NAME]: host } }),
  // sync order whose payment failed (status 503, error.type), a message and a correlation id
  b: trace({
    agoMs: 4 * 60_000, durationMs: 300, error: true,
    root: { [Attr.ORDER_ID]: orderB, [Attr.ORDER_STYLE]: "sync", [Attr.HTTP_RESPONSE_STATUS_CODE]: 503 },
    child: { [Attr.ERROR_TYPE]: "Timeout", [Attr.MESSAGING_MESSAGE_ID]: messageB, [Attr.MESSAGING_CONVERSATION_ID]: correlationB, [Attr.ORDER_REASON]: "out of stock" },
    childName: "process payment-requests",
  }),
  // slow hybrid order from two days ago, with a saga id
  c: trace({ agoMs: 2 * 86_400_000, durationMs: 1_200, root: { [Attr.ORDER_STYLE]: "hybrid", [Attr.HTTP_RESPONSE_STATUS_CODE]: 201 }, child: { [Attr.SAGA_ID]: sagaC }, childName: "payment.chargePayment" }),
  // no style, no status code
  d: trace({ agoMs: 3 * 60_000, durationMs: 80, root: {}, child: { [Attr.SAGA_STEPS]: ["reserve", "charge"] }, childName: "payment.refund" }),
};
const idOf = (t: StoredSpan[]) => t[0]!.traceId;
const ids = Object.fromEntries(Object.entries(traces).map(([k, v]) => [k, idOf(v)])) as Record<keyof typeof traces, string>;
const nameOf = new Map(Object.entries(ids).map(([k, v]) => [v, k]));

/** Which of this run's traces (a..d, newest first) the search finds. */
async function found(search: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  const { items } = await caller().traces.list({ search: `${scope} ${search}`, ...extra });
  return items.map((t) => nameOf.get(t.traceId) ?? `other:${t.traceId}`);
}

beforeAll(async () => {
  db = createDb(TEST_CONFIG.databaseUrl);
  await insertSpans(pool, Object.values(traces).flat());
});

afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [Object.values(ids)]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [Object.values(ids)]);
  await pool.end();
  await db.$disconnect();
});

describe("search by attribute", () => {
  it("= matches a string on any span of the trace, and != the others that have the key", async () => {
    expect(await found(`${Attr.ORDER_STYLE}=saga`)).toEqual(["a"]);
    expect(await found(`${Attr.ORDER_REASON}="out of stock"`)).toEqual(["b"]);
    expect(await found(`${Attr.ORDER_STYLE}!=saga`)).toEqual(["b", "c"]);
    expect(await found(`${Attr.SAGA_STEPS}=charge`)).toEqual(["d"]);
  });

  it("compares numbers numerically", async () => {
    expect(await found(`${Attr.HTTP_RESPONSE_STATUS_CODE}>=500`)).toEqual(["b"]);
    expect(await found(`${Attr.HTTP_RESPONSE_STATUS_CODE}>200`)).toEqual(["b", "c"]);
    expect(await found(`${Attr.HTTP_RESPONSE_STATUS_CODE}<=200`)).toEqual(["a"]);
    expect(await found(`${Attr.HTTP_RESPONSE_STATUS_CODE}<201`)).toEqual(["a"]);
    expect(await found(`${Attr.HTTP_RESPONSE_STATUS_CODE}=503`)).toEqual(["b"]);
  });

  it("exists finds traces with the key on some span; conditions may hold on different spans", async () => {
    expect(await found(`${Attr.ERROR_TYPE} exists`)).toEqual(["b"]);
    expect(await found(`${Attr.ERROR_TYPE} exists ${Attr.ORDER_STYLE}=sync`)).toEqual(["b"]);
    expect(await found(`${Attr.ERROR_TYPE} exists ${Attr.ORDER_STYLE}=saga`)).toEqual([]);
  });

  it("looks at resource attributes, unless the key is scoped to the span", async () => {
    expect(await found(`${Attr.HOST_NAME}=${host}`)).toEqual(["a"]);
    expect(await found(`resource.${Attr.HOST_NAME}=${host}`)).toEqual(["a"]);
    expect(await found(`span.${Attr.HOST_NAME}=${host}`)).toEqual([]);
    expect(await found(`resource.${Attr.SERVICE_NAME}=${svc.payment}`)).toEqual(["d", "b", "a", "c"]);
    expect(await found(`resource.${Attr.SERVICE_NAME}=${svc.payment} ${Attr.ORDER_STYLE}=saga`)).toEqual(["a"]);
  });
});

describe("search by id", () => {
  it("finds a trace by an order, message, correlation or saga id typed alone", async () => {
    for (const [id, expected] of [[orderA, "a"], [orderB.toUpperCase(), "b"], [messageB, "b"], [correlationB, "b"], [sagaC, "c"]] as const) {
      const { items } = await caller().traces.list({ search: id });
      expect(items.map((t) => nameOf.get(t.traceId)), id).toEqual([expected]);
    }
  });

  it("still finds a trace by a trace id prefix and by root name", async () => {
    const { items } = await caller().traces.list({ search: ids.c.slice(0, 10) });
    expect(items.map((t) => t.traceId)).toEqual([ids.c]);
    expect(await found("placeOrder")).toEqual(["d", "b", "a", "c"]);
  });
});

describe("search by duration, operation and time", () => {
  it("bounds the trace duration from the box or the controls", async () => {
    expect(await found("minDuration:100ms")).toEqual(["b", "c"]);
    expect(await found("maxDuration:100ms")).toEqual(["d", "a"]);
    expect(await found("minDuration:60ms maxDuration:1s")).toEqual(["d", "b"]);
    expect(await found("", { minDuration: "1s" })).toEqual(["c"]);
    expect(await found("minDuration:100ms", { maxDuration: "500ms" })).toEqual(["b"]);
  });

  it("finds a service's operation", async () => {
    expect(await found(`service:${svc.payment} op:payment.chargePayment`)).toEqual(["a", "c"]);
    expect(await found("", { service: svc.payment, operation: "payment.refund" })).toEqual(["d"]);
    expect(await found(`service:${svc.order} op:payment.refund`)).toEqual([]);
    expect(await caller().traces.operations({ service: svc.payment })).toEqual(["payment.chargePayment", "payment.refund", "process payment-requests"]);
  });

  it("keeps to a relative or absolute time range", async () => {
    expect(await found("", { since: "1h" })).toEqual(["d", "b", "a"]);
    expect(await found("", { since: "7d" })).toEqual(["d", "b", "a", "c"]);
    const day = 86_400_000n * MS;
    expect(await found("", { from: (NOW - 3n * day).toString(), to: (NOW - day).toString() })).toEqual(["c"]);
    expect(await found("", { from: (NOW - 270_000n * MS).toString() })).toEqual(["d", "b"]);
  });

  it("pages through matches with the cursor, newest first, without repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await caller().traces.list({ search: scope, limit: 1, cursor });
      seen.push(...page.items.map((t) => nameOf.get(t.traceId)!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["d", "b", "a", "c"]);
  });
});

describe("bad search input", () => {
  it.each([
    [`${Attr.HTTP_RESPONSE_STATUS_CODE}>abc`, /">" compares numbers: "abc"/],
    ["colour:red", /Unknown filter "colour:"/],
    ['a="open', /Unclosed quote/],
  ])("%s is a BAD_REQUEST with a readable message", async (search, message) => {
    const error = await caller().traces.list({ search }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(message);
  });

  it("refuses a duration without a unit", async () => {
    const error = await caller().traces.list({ minDuration: "100" }).then(() => null, (e: unknown) => e);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });
});
