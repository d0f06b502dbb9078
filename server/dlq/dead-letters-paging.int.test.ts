/**
 * The dead-letter list with 10,000 dead letters stored through the span store's write path: pages
 * are the right slices of the newest-first list, totals count every page, filters hold across
 * pages, discarded and duplicate dead-letter spans are handled as the reconstruction does, and the
 * database (not Node) slices: a page reads only its own dead letters' spans, by index.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEAD_LETTER_REASONS, type DeadLetterReason } from "../../services/contracts/index.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { createDb, type Db } from "../db.ts";
import { createDeadLettersRouter } from "../routers/dead-letters.ts";
import type { InventoryApi, OrderApi } from "../routers/service-clients.ts";
import { createCallerFactory } from "../routers/trpc.ts";
import type { StoredSpan } from "../store/types.ts";
import { insertSpans } from "../store/write.ts";
import type { Replayer } from "./replay.ts";

const COUNT = 10_000;
const runId = randomBytes(4).toString("hex");
const QUEUES = [`many-${runId}.payment`, `many-${runId}.shipping`] as const;
const BASE_NS = 1_796_000_000_000_000_000n;
const MS = 1_000_000n;
const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
let db: Db;

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** What the list should say about dead letter `i` (the reference the pages are checked against). */
type Expected = { id: string; i: number; queue: string; reason: DeadLetterReason; replayed: boolean; discarded: boolean };

function expectedOf(i: number): Expected {
  const queue = QUEUES[i % 2]!;
  // Every 97th sends a reason the dashboard does not know: it reads as `exhausted`.
  const reason = i % 97 === 0 ? "exhausted" : DEAD_LETTER_REASONS[i % 3]!;
  return { id: `${queue}/job-${i}`, i, queue, reason, replayed: i % 10 === 0, discarded: i % 25 === 1 };
}

function span(traceId: string, name: string, startNs: bigint, attributes: StoredSpan["attributes"], kind: StoredSpan["kind"] = "PRODUCER"): StoredSpan {
  return {
    traceId, spanId: hex(8), parentSpanId: null, name, kind, serviceName: "payment",
    startTimeUnixNano: startNs.toString(), endTimeUnixNano: (startNs + MS).toString(), durationNs: MS.toString(),
    status: { code: "ERROR", message: "failed" }, attributes, events: [], links: [], resource: { "service.name": "payment" }, scopeName: "paging-test",
  };
}

/** A dead-letter span as the kit's dead-letterer writes it (payload, stack and all). */
function deadLetterSpan(traceId: string, e: Expected, startNs: bigint): StoredSpan {
  return span(traceId, `dead-letter ${e.queue}`, startNs, {
    "messaging.system": "bullmq", "messaging.operation.type": "send", "messaging.operation.name": "dead-letter",
    "messaging.destination.name": "dead-letters", "app.dlq.id": e.id, "app.dlq.source_queue": e.queue,
    "app.dlq.reason": e.i % 97 === 0 ? "gremlins" : e.reason, "app.dlq.job_name": "OrderCreated", "app.dlq.original_job_id": `job-${e.i}`,
    "app.dlq.attempts": 5, "app.job.max_attempts": 5, "app.dlq.error.message": `card processor unreachable (#${e.i})`,
    "app.dlq.error.stack": `Error: card processor unreachable\n    at charge (payment.ts:10:5)\n    at process (worker.ts:${e.i}:1)`,
    "app.dlq.payload": JSON.stringify({ messageId: `job-${e.i}`, orderId: `o-${e.i}`, amountCents: 1200 + e.i }), "app.dlq.payload_truncated": false,
    "app.dlq.detected_by": "worker",
  });
}

/** 10,000 dead letters, newest = highest i; replays, discards (done and failed) and racing duplicates. */
function buildSpans(): StoredSpan[] {
  const spans: StoredSpan[] = [];
  let traceId = hex(16);
  for (let i = 0; i < COUNT; i += 1) {
    if (i % 100 === 0) traceId = hex(16);
    const e = expectedOf(i);
    const at = BASE_NS + BigInt(i) * MS;
    spans.push(deadLetterSpan(traceId, e, at));
    // A racing reconciler's second dead-letter span: later, so the first one still places the row.
    if (i % 500 === 3) spans.push(deadLetterSpan(traceId, e, at + 60_000n * MS));
    if (e.replayed) {
      spans.push(span(hex(16), `replay ${e.queue}`, at + 5n * MS, {
        "messaging.operation.name": "replay", "app.dlq.id": e.id, "app.dlq.source_queue": e.queue, "app.dlq.replay.job_id": `job-${i}~replay`,
      }, "PRODUCER"));
    }
    if (e.discarded || i % 25 === 2) {
      spans.push(span(traceId, "discard dead-letters", at + 7n * MS, {
        "messaging.operation.name": "discard", "app.dlq.id": e.id, "app.queue.action.outcome": e.discarded ? "done" : "failed",
      }, "INTERNAL"));
    }
  }
  return spans;
}

const spans = buildSpans();
const traceIds = [...new Set(spans.map((s) => s.traceId))];
/** Newest first, discarded ones gone. */
const reference = Array.from({ length: COUNT }, (_, i) => expectedOf(COUNT - 1 - i)).filter((e) => !e.discarded);

const replayer: Replayer = { replay: async () => [], close: async () => undefined };
const caller = () => createCallerFactory(createDeadLettersRouter(() => replayer))({ db, order: {} as OrderApi, inventory: {} as InventoryApi });

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${label}: ${(performance.now() - started).toFixed(1)} ms`);
  return result;
}

beforeAll(async () => {
  db = createDb(TEST_CONFIG.databaseUrl);
  for (let at = 0; at < spans.length; at += 2_000) await insertSpans(pool, spans.slice(at, at + 2_000));
  await pool.query("ANALYZE telemetry.spans");
}, 120_000);

afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [traceIds]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [traceIds]);
  await db.$disconnect();
  await pool.end();
});

describe("deadLetters.list with 10,000 dead letters", () => {
  const mine = (e: Expected) => QUEUES.includes(e.queue as (typeof QUEUES)[number]);

  it("pages the newest-first list, with the totals of every page", async () => {
    const both = reference.filter(mine);
    const first = await timed("page 1 of the payment queue (50 rows)", () => caller().list({ queue: QUEUES[0] }));
    const payment = both.filter((e) => e.queue === QUEUES[0]);
    expect(first).toMatchObject({ total: payment.length, page: 1, pageSize: 50, pages: Math.ceil(payment.length / 50) });
    expect(first.all).toBeGreaterThanOrEqual(both.length);
    expect(first.queues).toEqual(expect.arrayContaining([...QUEUES]));
    expect(first.items.map((e) => e.id)).toEqual(payment.slice(0, 50).map((e) => e.id));

    const deep = await timed("page 60 (rows 5,901-6,000 of both queues, 100 a page)", () => caller().list({ page: 60, pageSize: 100 }));
    const ours = deep.items.filter((e) => e.sourceQueue.startsWith(`many-${runId}.`));
    // Other tests may share the database: when nothing else is stored, the slice is exact.
    if (deep.all === both.length) expect(ours.map((e) => e.id)).toEqual(both.slice(5_900, 6_000).map((e) => e.id));
    expect(deep.items).toHaveLength(100);

    const last = await caller().list({ queue: QUEUES[1], page: 1_000, pageSize: 200 });
    const shipping = both.filter((e) => e.queue === QUEUES[1]);
    expect(last.page).toBe(Math.ceil(shipping.length / 200));
    expect(last.items.map((e) => e.id)).toEqual(shipping.slice((last.page - 1) * 200).map((e) => e.id));
  });

  it("counts and pages the same way under every filter, across pages", async () => {
    for (const reason of DEAD_LETTER_REASONS) {
      for (const replayed of ["yes", "no"] as const) {
        const want = reference.filter((e) => e.queue === QUEUES[0] && e.reason === reason && e.replayed === (replayed === "yes"));
        const page2 = await caller().list({ queue: QUEUES[0], reason, replayed, page: 2, pageSize: 40 });
        expect(page2.total, `${reason}/${replayed}`).toBe(want.length);
        expect(page2.items.map((e) => e.id)).toEqual(want.slice(40, 80).map((e) => e.id));
        expect(page2.items.every((e) => e.reason === reason && Boolean(e.replay) === (replayed === "yes"))).toBe(true);
      }
    }
  });

  it("walks every page of a filter once: no row lost or repeated, a duplicate span counted once", async () => {
    const want = reference.filter((e) => e.queue === QUEUES[1] && e.replayed);
    const seen: string[] = [];
    for (let page = 1; ; page += 1) {
      const result = await caller().list({ queue: QUEUES[1], replayed: "yes", page, pageSize: 200 });
      seen.push(...result.items.map((e) => e.id));
      if (page >= result.pages) break;
    }
    expect(seen).toEqual(want.map((e) => e.id));
    const duplicated = expectedOf(3).id;
    const rows = await caller().list({ queue: QUEUES[1], page: 1, pageSize: 200 });
    expect(rows.items.filter((e) => e.id === duplicated)).toHaveLength(0); // far down the list
    const all = reference.filter((e) => e.queue === QUEUES[1]);
    const at = all.findIndex((e) => e.id === duplicated);
    const pageOf = await caller().list({ queue: QUEUES[1], page: Math.floor(at / 200) + 1, pageSize: 200 });
    const hits = pageOf.items.filter((e) => e.id === duplicated);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.deadLetteredAtUnixNano).toBe((BASE_NS + 3n * MS).toString());
  });

  it("rebuilds each row like the unpaged reconstruction: replay status, unknown reason, discards", async () => {
    const { items } = await caller().list({ queue: QUEUES[0], page: 1, pageSize: 200 });
    const replayedOne = items.find((e) => e.replay)!;
    expect(replayedOne.replay).toMatchObject({ status: "pending", jobId: `${replayedOne.originalJobId}~replay` });
    const exhausted = reference.filter((e) => e.queue === QUEUES[0] && e.reason === "exhausted");
    const at = exhausted.findIndex((e) => e.i % 97 === 0);
    const found = await caller().list({ queue: QUEUES[0], reason: "exhausted", pageSize: 200, page: Math.floor(at / 200) + 1 });
    expect(found.items.find((e) => e.id === exhausted[at]!.id)?.reason).toBe("exhausted");
    // A discard that failed leaves the dead letter listed; a done one removes it.
    const failedDiscard = expectedOf(9_952); // 9952 % 25 === 2
    const doneDiscard = expectedOf(9_926); // 9926 % 25 === 1
    const newest = await caller().list({ queue: QUEUES[0], pageSize: 200 });
    expect(newest.items.map((e) => e.id)).toContain(failedDiscard.id);
    expect(newest.items.map((e) => e.id)).not.toContain(doneDiscard.id);
  });

  it("lets PostgreSQL slice: the page's spans are read by id through the dead-letter id index", async () => {
    // The test table is mostly dead letters, so the planner may rightly prefer a scan here; with
    // scans off, it shows the query's expression is the one the index holds.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const plan = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT trace_id FROM telemetry.spans WHERE attributes ? 'app.dlq.id' AND (attributes->>'app.dlq.id') = ANY($1::text[])`,
        [reference.slice(0, 50).map((e) => e.id)],
      );
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("spans_dead_letter_id_idx");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    await timed("page 1, no filter (50 rows)", () => caller().list({}));
    await timed("page 100 of the shipping queue, replayed=no, 40 a page", () => caller().list({ queue: QUEUES[1], replayed: "no", page: 100, pageSize: 40 }));
  });
});
