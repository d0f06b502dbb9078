/**
 * subscribeEffect against the real PostgreSQL and Redis (test slot database, a prefix of its
 * own): the ledger and the effect in one statement are as idempotent as the transaction they
 * replace, and make one statement span under the `process` span.
 */
import { randomUUID } from "node:crypto";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { Queue, type Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Events, subscriberQueue, Topics, type EventEnvelope } from "../contracts/index.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { ensureDatabase, migrateDatabase } from "../../scripts/launcher/database.ts";
import { waitFor } from "../../tests/support/wait-for.ts";
import { sql } from "./guarded-effect.ts";
import { HANDLER_STATEMENT_TIMEOUT_MS, subscribeEffect, type SubscribeResult } from "./messaging.ts";
import { createPgDb, type PgDb } from "./pg-tx.ts";
import { createServiceSampler } from "./sampler.ts";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ sampler: createServiceSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const connection = { redisUrl: TEST_CONFIG.redisUrl, prefix: `${TEST_CONFIG.redisPrefix}-effect-${randomUUID().slice(0, 8)}` };
const TOPIC = Topics.ORDER_EVENTS;
/** Rows are keyed by fresh message ids, so runs share the table. */
const TABLE = "kit_test.guarded_effects";
let db: PgDb;
let worker: Worker;
let queue: Queue;

function makeEvent(): EventEnvelope {
  return {
    messageId: randomUUID(), name: Events.ORDER_CREATED, orderId: randomUUID(), style: "hybrid",
    occurredAt: new Date().toISOString(), order: { customerId: "kit", productId: "sku-filter", quantity: 1, amountCents: 600 }, reason: null,
  };
}

const effectCount = async (messageId: string) =>
  (await db.$queryRawUnsafe<{ n: number }[]>(`SELECT n FROM ${TABLE} WHERE message_id = $1::uuid`, messageId))[0]?.n;

/** Adds the same event as separate jobs (a redelivery or duplicate publish) and waits for their results. */
async function deliver(event: EventEnvelope, times: number, firstJob = 0): Promise<SubscribeResult[]> {
  const jobs = await Promise.all(Array.from({ length: times }, (_, n) => queue.add(event.name, event, { jobId: `${event.messageId}-${firstJob + n}` })));
  return waitFor("deliveries to complete", async () => {
    const values = await Promise.all(jobs.map(async (j) => (await queue.getJob(j.id!))?.returnvalue as SubscribeResult | null));
    return values.every((v) => v) ? (values as SubscribeResult[]) : undefined;
  });
}

beforeAll(async () => {
  await ensureDatabase(TEST_CONFIG.databaseUrl);
  await migrateDatabase(TEST_CONFIG.databaseUrl);
  db = createPgDb(TEST_CONFIG.databaseUrl, { max: 4, statementTimeoutMs: HANDLER_STATEMENT_TIMEOUT_MS });
  await db.$executeRawUnsafe("CREATE SCHEMA IF NOT EXISTS kit_test");
  // Not idempotent by itself: a second application adds 1.
  await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS ${TABLE} (message_id uuid PRIMARY KEY, n int NOT NULL)`);
  worker = subscribeEffect({
    topic: TOPIC, subscriber: "analytics", connection, db, schema: "analytics", log: () => undefined,
    effect: (event) =>
      event.reason === "no effect"
        ? null
        : sql`INSERT INTO kit_test.guarded_effects (message_id, n) SELECT ${event.messageId}::uuid, 1 FROM "first"
              ON CONFLICT (message_id) DO UPDATE SET n = kit_test.guarded_effects.n + 1`,
  });
  queue = new Queue(subscriberQueue(TOPIC, "analytics"), { connection: { url: connection.redisUrl }, prefix: connection.prefix });
  await worker.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  await queue?.obliterate({ force: true }).then(() => queue.close());
  await db?.end();
  await provider.shutdown();
});

describe("subscribeEffect", () => {
  it("applies the effect once when the same event is delivered three times at once", async () => {
    const event = makeEvent();
    const results = await deliver(event, 3);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(results.filter((r) => r.duplicate)).toHaveLength(2);
    expect(await effectCount(event.messageId)).toBe(1);
    expect((await db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM analytics.processed_messages WHERE message_id = $1::uuid`, event.messageId)).length).toBe(1);
  });

  it("makes one statement span under each process span, named after the effect", async () => {
    exporter.reset();
    const event = makeEvent();
    await deliver(event, 1);
    const spans = await waitFor("spans", async () => {
      const all = exporter.getFinishedSpans();
      return all.some((s) => s.name.startsWith("process ")) ? all : undefined;
    });
    const process = spans.find((s) => s.name === `process ${subscriberQueue(TOPIC, "analytics")}`)!;
    const statements = spans.filter((s) => s.parentSpanContext?.spanId === process.spanContext().spanId && s.attributes["db.system.name"] === "postgresql");
    expect(statements.map((s) => s.name)).toEqual([`INSERT ${TABLE}`]);
    expect(String(statements[0]!.attributes["db.query.text"])).toMatch(/^WITH "first" AS \(INSERT INTO "analytics"\."processed_messages"/);
    expect(process.attributes["app.idempotency.duplicate"]).toBe(false);
  });

  it("records the message when the event asks for no effect, so a redelivery is a duplicate", async () => {
    const event = { ...makeEvent(), reason: "no effect" };
    const [first] = await deliver(event, 1);
    const [again] = await deliver(event, 1, 1);
    expect(first?.duplicate).toBe(false);
    expect(again?.duplicate).toBe(true);
    expect(await effectCount(event.messageId)).toBeUndefined();
  });
});
