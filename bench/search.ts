/**
 * Trace search benchmark: `node --import tsx bench/search.ts [--spans 1000000] [--runs 40]
 * [--regenerate]`. Fills its own database (switchyard_bench_search, migrated like every other)
 * with order-flow traces of 8 spans over the last 7 days, COPYed in the collector's row format
 * (server/store/copy-rows.ts) with every index in place, and telemetry.traces folded from them;
 * a store already holding the asked number of spans is reused. Then runs a mix of searches
 * through the traces router (parse, zod, SQL) many times, fresh values each run, and prints
 * p50/p95 per search and overall. Asserts nothing. Last line: `search: spans=<n> p95_ms=<x>`.
 * `--ingest`: instead, what the search indexes cost the write path: rounds of the collector's
 * insertSpans (batches of 512, 3 writers) into switchyard_bench_search_ingest with the indexes
 * dropped, then created again, alternating, so load swings hit both sides alike.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { Attr } from "../services/contracts/semconv.ts";
import { ensureDatabase, migrateDatabase } from "../scripts/launcher/database.ts";
import { createDb } from "../server/db.ts";
import { createCaller } from "../server/routers/app-router.ts";
import type { InventoryApi, OrderApi } from "../server/routers/service-clients.ts";
import { copyFrom } from "../server/store/copy-in.ts";
import { SPAN_COPY_COLUMNS, encodeSpanRows } from "../server/store/copy-rows.ts";
import { insertSpans } from "../server/store/write.ts";
import type { Attributes, StoredSpan } from "../server/store/types.ts";

const { values: args } = parseArgs({
  options: { spans: { type: "string", default: "1000000" }, runs: { type: "string", default: "40" }, regenerate: { type: "boolean", default: false }, ingest: { type: "boolean", default: false } },
});
const SPANS = Number(args.spans);
const RUNS = Number(args.runs);
const DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/switchyard_bench_search";
const SPANS_PER_TRACE = 8;
const TRACES_PER_BATCH = 2_500;
const MS = 1_000_000n;
const WEEK_MS = 7 * 86_400_000;
const STYLES = ["sync", "saga", "choreography", "hybrid"];
const CUSTOMERS = 1_000;

const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
const resources = new Map(["gateway", "order", "inventory", "payment", "notification", "shipping"].map((s) => [s, { [Attr.SERVICE_NAME]: s, [Attr.HOST_NAME]: "bench-host" }]));

/** One order flow: gateway -> order -> inventory, payment, an SQL statement, an event and its consumer, a saga step or a shipment. */
function makeTrace(startMs: number): StoredSpan[] {
  const traceId = hex(32);
  const orderId = randomUUID();
  const messageId = randomUUID();
  const style = STYLES[Math.floor(Math.random() * STYLES.length)]!;
  const isError = Math.random() < 0.03;
  // Mostly tens of milliseconds, a long tail to seconds.
  const durationMs = Math.round(5 + Math.exp(Math.random() * 8) / 2);
  const start = BigInt(startMs) * MS;
  const ids = Array.from({ length: SPANS_PER_TRACE }, () => hex(16));
  const specs: [string, string, StoredSpan["kind"], Attributes][] = [
    ["gateway", "POST /v1/orders", "SERVER", { [Attr.HTTP_REQUEST_METHOD]: "POST", [Attr.HTTP_ROUTE]: "/v1/orders", [Attr.HTTP_RESPONSE_STATUS_CODE]: isError ? 502 : 201 }],
    ["order", "order.placeOrder", "SERVER", { [Attr.ORDER_ID]: orderId, [Attr.ORDER_STYLE]: style, [Attr.CUSTOMER_ID]: `cust-${Math.floor(Math.random() * CUSTOMERS)}`, [Attr.QUANTITY]: 1 + Math.floor(Math.random() * 5) }],
    ["inventory", "inventory.reserveStock", "SERVER", { [Attr.ORDER_ID]: orderId, [Attr.PRODUCT_ID]: `p${Math.floor(Math.random() * 50)}`, [Attr.STOCK_REMAINING]: Math.floor(Math.random() * 500) }],
    ["order", "INSERT orders.orders", "CLIENT", { [Attr.DB_SYSTEM_NAME]: "postgresql", [Attr.DB_QUERY_TEXT]: "INSERT INTO orders.orders (id, customer_id, product_id) VALUES ($1, $2, $3)" }],
    ["payment", "payment.chargePayment", "SERVER", { [Attr.ORDER_ID]: orderId, [Attr.PAYMENT_ID]: randomUUID(), [Attr.PAYMENT_AMOUNT]: Math.floor(Math.random() * 100_000), ...(isError ? { [Attr.ERROR_TYPE]: "CreditLimitExceeded" } : {}) }],
    ["order", "send order-events", "PRODUCER", { [Attr.MESSAGING_SYSTEM]: "bullmq", [Attr.MESSAGING_DESTINATION_NAME]: "order-events", [Attr.MESSAGING_MESSAGE_ID]: messageId }],
    ["notification", "process order-events", "CONSUMER", { [Attr.MESSAGING_SYSTEM]: "bullmq", [Attr.MESSAGING_MESSAGE_ID]: messageId, [Attr.MESSAGING_CONVERSATION_ID]: randomUUID() }],
    style === "saga"
      ? ["order", "saga.step", "INTERNAL", { [Attr.SAGA_ID]: randomUUID(), [Attr.SAGA_STEP]: "charge", [Attr.ORDER_ID]: orderId }]
      : ["shipping", "shipping.createShipment", "SERVER", { [Attr.SHIPMENT_ID]: randomUUID(), [Attr.ORDER_ID]: orderId }],
  ];
  return specs.map(([service, name, kind, attributes], i) => {
    const s = start + BigInt(i) * BigInt(Math.floor((durationMs * 1e6) / 10));
    const e = i === 0 ? start + BigInt(durationMs) * MS : s + BigInt(Math.floor((durationMs * 1e6) / 10));
    return {
      traceId, spanId: ids[i]!, parentSpanId: i === 0 ? null : ids[i === 1 ? 0 : 1]!, name, kind, serviceName: service,
      startTimeUnixNano: s.toString(), endTimeUnixNano: e.toString(), durationNs: (e - s).toString(),
      status: { code: isError && (i === 0 || i === 4) ? "ERROR" : "UNSET", message: null }, attributes, events: [], links: [],
      resource: resources.get(service)!, scopeName: null,
    };
  });
}

/** COPYs `SPANS` spans in batches (start times spread evenly over the last week), then folds telemetry.traces. */
async function generate(pool: pg.Pool): Promise<void> {
  await pool.query("TRUNCATE telemetry.spans, telemetry.traces, telemetry.resources");
  const traces = Math.ceil(SPANS / SPANS_PER_TRACE);
  const now = Date.now();
  const began = performance.now();
  for (let done = 0; done < traces; done += TRACES_PER_BATCH) {
    const spans = Array.from({ length: Math.min(TRACES_PER_BATCH, traces - done) }, (_, i) => makeTrace(now - WEEK_MS + Math.floor(((done + i) / traces) * WEEK_MS))).flat();
    const rows = encodeSpanRows(spans);
    const client = await pool.connect();
    try {
      await client.query("INSERT INTO telemetry.resources (id, attributes) SELECT * FROM unnest($1::int8[], $2::jsonb[]) ON CONFLICT DO NOTHING", [rows.resourceIds, rows.resourceJson]);
      await copyFrom(client, `COPY telemetry.spans (${SPAN_COPY_COLUMNS}) FROM STDIN`, rows.chunks);
    } finally {
      client.release();
    }
    if ((done / TRACES_PER_BATCH) % 10 === 0) process.stdout.write(`\rgenerated ${(done + TRACES_PER_BATCH) * SPANS_PER_TRACE} spans`);
  }
  await pool.query(`
    INSERT INTO telemetry.traces (trace_id, root_name, root_service, root_rank, root_start_unix_nano, has_root, services,
      span_count, error_count, start_time_unix_nano, end_time_unix_nano)
    SELECT trace_id, (array_agg(name ORDER BY parent_span_id NULLS FIRST))[1], (array_agg(service_name ORDER BY parent_span_id NULLS FIRST))[1],
      0, min(start_time_unix_nano), true, array_agg(DISTINCT service_name ORDER BY service_name), count(*),
      count(*) FILTER (WHERE status_code = 2), min(start_time_unix_nano), max(end_time_unix_nano)
    FROM telemetry.spans GROUP BY trace_id`);
  await pool.query("VACUUM ANALYZE telemetry.spans");
  await pool.query("VACUUM ANALYZE telemetry.traces");
  console.log(`\ngenerated ${traces * SPANS_PER_TRACE} spans / ${traces} traces in ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

type Sample = { orderIds: string[]; messageIds: string[] };

async function sampleIds(pool: pg.Pool): Promise<Sample> {
  const pick = async (name: string, key: string) =>
    (await pool.query<{ id: string }>(`SELECT attributes ->> $2 AS id FROM telemetry.spans TABLESAMPLE SYSTEM (1) WHERE name = $1 LIMIT 200`, [name, key])).rows.map((r) => r.id);
  return { orderIds: await pick("order.placeOrder", Attr.ORDER_ID), messageIds: await pick("process order-events", Attr.MESSAGING_MESSAGE_ID) };
}

type ListInput = Parameters<ReturnType<typeof createCaller>["traces"]["list"]>[0];
const any = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

/** The searches, each a function giving fresh input per run. */
function searches(sample: Sample): [string, () => ListInput][] {
  const dayAgo = (d: number) => (BigInt(Date.now() - d * 86_400_000) * MS).toString();
  return [
    ["attribute = (common: a style)", () => ({ search: `${Attr.ORDER_STYLE}=${any(STYLES)}` })],
    ["attribute = (rare: a customer)", () => ({ search: `${Attr.CUSTOMER_ID}=cust-${Math.floor(Math.random() * CUSTOMERS)}` })],
    ["order id typed alone", () => ({ search: any(sample.orderIds) })],
    ["message id typed alone", () => ({ search: any(sample.messageIds) })],
    ["numeric >= (status >= 500)", () => ({ search: `${Attr.HTTP_RESPONSE_STATUS_CODE}>=500` })],
    ["numeric > (amount)", () => ({ search: `${Attr.PAYMENT_AMOUNT}>${90_000 + Math.floor(Math.random() * 9_000)}` })],
    ["exists (error.type)", () => ({ search: `${Attr.ERROR_TYPE} exists` })],
    ["duration range 100-200ms", () => ({ minDuration: "100ms", maxDuration: "200ms" })],
    ["slow traces >= 1s", () => ({ search: "minDuration:1s" })],
    ["last hour", () => ({ since: "1h" })],
    ["absolute hour 3 days ago", () => ({ from: dayAgo(3), to: (BigInt(dayAgo(3)) + 3_600_000n * MS).toString() })],
    ["service + operation", () => ({ service: "payment", operation: "payment.chargePayment" })],
    ["style + errors, last 24h", () => ({ search: `${Attr.ORDER_STYLE}=saga status:error`, since: "24h" })],
  ];
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const db = createDb(DATABASE_URL);
  try {
    const { rows } = await pool.query<{ n: string }>("SELECT count(*)::text AS n FROM telemetry.spans");
    if (args.regenerate || Number(rows[0]!.n) < SPANS) await generate(pool);
    const spans = Number((await pool.query<{ n: string }>("SELECT count(*)::text AS n FROM telemetry.spans")).rows[0]!.n);
    const caller = createCaller({ db, order: {} as OrderApi, inventory: {} as InventoryApi });
    const mix = searches(await sampleIds(pool));
    const all: number[] = [];
    console.log(`\n${spans} spans; ${RUNS} runs per search (limit 50, as the trace list asks), ms:`);
    for (const [label, input] of mix) {
      await caller.traces.list({ limit: 50, ...input() }); // warm-up: plan cache, pages
      const times: number[] = [];
      let found = 0;
      for (let i = 0; i < RUNS; i++) {
        const began = performance.now();
        found += (await caller.traces.list({ limit: 50, ...input() })).items.length;
        times.push(performance.now() - began);
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      console.log(`  ${label.padEnd(32)} p50 ${quantile(times, 0.5).toFixed(1).padStart(7)}  p95 ${quantile(times, 0.95).toFixed(1).padStart(7)}  (avg ${(found / RUNS).toFixed(0)} traces)`);
    }
    all.sort((a, b) => a - b);
    console.log(`  ${"overall".padEnd(32)} p50 ${quantile(all, 0.5).toFixed(1).padStart(7)}  p95 ${quantile(all, 0.95).toFixed(1).padStart(7)}`);
    console.log(`search: spans=${spans} p95_ms=${quantile(all, 0.95).toFixed(1)}`);
  } finally {
    await pool.end();
    await db.$disconnect();
  }
}

/** The migration's three search indexes (prisma/migrations/20261203170000_trace_search_indexes). */
const SEARCH_INDEXES = [
  `CREATE INDEX "spans_attributes_idx" ON "telemetry"."spans" USING GIN ("attributes" jsonb_path_ops)`,
  `CREATE INDEX "traces_duration_idx" ON "telemetry"."traces" (("end_time_unix_nano" - "start_time_unix_nano"))`,
  `CREATE INDEX "traces_errors_idx" ON "telemetry"."traces" ("start_time_unix_nano" DESC) WHERE "error_count" > 0`,
];

/** Spans per second through insertSpans: `spans` spans in batches of 512 from 3 writers. */
async function writeRate(pool: pg.Pool, spans: number): Promise<number> {
  const batches = Array.from({ length: Math.ceil(spans / 512) }, () => Array.from({ length: 64 }, () => makeTrace(Date.now())).flat());
  const began = performance.now();
  const writer = async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) await insertSpans(pool, batch);
  };
  await Promise.all([writer(), writer(), writer()]);
  return spans / ((performance.now() - began) / 1000);
}

async function ingestCost(): Promise<void> {
  const url = `${DATABASE_URL}_ingest`;
  await ensureDatabase(url);
  await migrateDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const rates: Record<"without" | "with", number[]> = { without: [], with: [] };
  try {
    for (let round = 1; round <= 3; round++) {
      for (const side of ["without", "with"] as const) {
        await pool.query("TRUNCATE telemetry.spans, telemetry.traces, telemetry.resources");
        await pool.query("DROP INDEX IF EXISTS telemetry.spans_attributes_idx, telemetry.traces_duration_idx, telemetry.traces_errors_idx");
        if (side === "with") for (const sql of SEARCH_INDEXES) await pool.query(sql);
        await writeRate(pool, 20_480); // warm-up: connections, staging tables, a filled index
        const rate = await writeRate(pool, 102_400);
        rates[side].push(rate);
        console.log(`round ${round} ${side.padEnd(7)} search indexes: ${rate.toFixed(0)} spans/s`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`search-ingest: without=${median(rates.without).toFixed(0)} with=${median(rates.with).toFixed(0)} ratio=${(median(rates.with) / median(rates.without)).toFixed(2)}`);
  } finally {
    await pool.end();
  }
}

await (args.ingest ? ingestCost() : main());
