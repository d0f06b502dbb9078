/**
 * The messaging kit against a real PostgreSQL and Redis (test slot database and prefix), in
 * process: outbox relay (commit vs rollback, crash before mark-sent, fan-out), idempotent
 * subscribers (redelivery), and trace parenting through an in-memory span exporter.
 */
import { randomUUID } from "node:crypto";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { Queue, type Worker } from "bullmq";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Events, Subscriptions, subscriberQueue, Topics, type EventEnvelope } from "../contracts/index.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { ensureDatabase, migrateDatabase } from "../../scripts/launcher/database.ts";
import { waitFor } from "../../tests/support/wait-for.ts";
// Any service client runs the kit's raw statements; this one writes shipping's outbox.
import { createServiceDb, type Db } from "../shipping/db.ts";
import { createJobSender, subscribe, type JobSender, type SubscribeResult } from "./messaging.ts";
import { enqueueEvent } from "./outbox.ts";
import { relayOutboxBatch, startOutboxRelay, type OutboxRelay } from "./outbox-relay.ts";
import { createServiceSampler } from "./sampler.ts";

const TOPIC = Topics.SHIPPING_EVENTS;
const SUBSCRIBERS = Subscriptions[TOPIC];
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ sampler: createServiceSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
// A prefix of its own: no service of a running test system consumes these queues.
const connection = { redisUrl: TEST_CONFIG.redisUrl, prefix: `${TEST_CONFIG.redisPrefix}-kit-${randomUUID().slice(0, 8)}` };

let db: Db;
let pool: pg.Pool;
let sender: JobSender;
let workers: Worker[] = [];
let relay: OutboxRelay | undefined;
const queues = new Map<string, Queue>();

function makeEvent(): EventEnvelope {
  return {
    messageId: randomUUID(), name: Events.SHIPMENT_CREATED, orderId: randomUUID(), style: "choreography",
    occurredAt: new Date().toISOString(), order: { customerId: "kit", productId: "sku-filter", quantity: 1, amountCents: 600 }, reason: null,
  };
}

/** Effects per (consumer, message): what a non-idempotent handler would have done. */
async function effects(messageId: string): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ consumer: string; n: number }>("SELECT consumer, n FROM kit_test.effects WHERE message_id = $1", [messageId]);
  return new Map(rows.map((r) => [r.consumer, r.n]));
}

/** A subscriber on every queue of TOPIC whose effect (a counter) is NOT idempotent by itself. */
function startSubscribers(): void {
  workers = SUBSCRIBERS.map((subscriber) =>
    subscribe({
      topic: TOPIC, subscriber, connection, db, schema: "analytics", log: () => undefined,
      handle: async (event, tx) => {
        await tx.$executeRaw`INSERT INTO kit_test.effects (consumer, message_id, n) VALUES (${subscriber}, ${event.messageId}::uuid, 1)
          ON CONFLICT (consumer, message_id) DO UPDATE SET n = kit_test.effects.n + 1`;
      },
    }),
  );
}

function queueOf(subscriber: string): Queue {
  const name = subscriberQueue(TOPIC, subscriber);
  if (!queues.has(name)) queues.set(name, new Queue(name, { connection: { url: connection.redisUrl }, prefix: connection.prefix }));
  return queues.get(name)!;
}

async function enqueueCommitted(event: EventEnvelope): Promise<void> {
  await db.$transaction((tx) => enqueueEvent(tx, "shipping", event));
}

async function sentAt(messageId: string): Promise<Date | null | undefined> {
  const { rows } = await pool.query<{ sent_at: Date | null }>(`SELECT sent_at FROM shipping.outbox WHERE id = $1`, [messageId]);
  return rows[0]?.sent_at;
}

const allHandledOnce = (messageId: string) => async () => {
  const found = await effects(messageId);
  return SUBSCRIBERS.every((s) => found.get(s) === 1) ? found : undefined;
};

beforeAll(async () => {
  await ensureDatabase(TEST_CONFIG.databaseUrl);
  await migrateDatabase(TEST_CONFIG.databaseUrl);
  db = createServiceDb(TEST_CONFIG.databaseUrl);
  pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl });
  await pool.query("CREATE SCHEMA IF NOT EXISTS kit_test");
  await pool.query("CREATE TABLE IF NOT EXISTS kit_test.effects (consumer text, message_id uuid, n int, PRIMARY KEY (consumer, message_id))");
  // Rows other runs left unsent would be published by our relay to our queues: mark them sent.
  await pool.query("UPDATE shipping.outbox SET sent_at = now() WHERE sent_at IS NULL");
  sender = createJobSender(connection);
});

beforeEach(() => exporter.reset());

afterAll(async () => {
  await relay?.stop();
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all([...queues.values()].map((q) => q.obliterate({ force: true }).then(() => q.close())));
  await sender?.close();
  await pool?.end();
  await db?.$disconnect();
  await provider.shutdown();
});

describe("outbox relay", () => {
  it("publishes a committed event to every subscriber once, and never a rolled-back one", async () => {
    startSubscribers();
    relay = startOutboxRelay({ databaseUrl: TEST_CONFIG.databaseUrl, schema: "shipping", connection, log: () => undefined });
    const rolledBack = makeEvent();
    await expect(db.$transaction(async (tx) => {
      await enqueueEvent(tx, "shipping", rolledBack);
      throw new Error("business step failed after the enqueue");
    })).rejects.toThrow(/business step failed/);
    const committed = makeEvent();
    await enqueueCommitted(committed);
    await waitFor("fan-out of the committed event", allHandledOnce(committed.messageId));
    await waitFor("row marked sent", async () => ((await sentAt(committed.messageId)) ? true : undefined));
    expect(await sentAt(rolledBack.messageId)).toBeUndefined();
    for (const subscriber of SUBSCRIBERS) expect(await queueOf(subscriber).getJob(rolledBack.messageId)).toBeUndefined();
    expect((await effects(rolledBack.messageId)).size).toBe(0);
  });

  it("fans several events out: each subscriber queue gets each event exactly once", async () => {
    const events = Array.from({ length: 5 }, makeEvent);
    await db.$transaction(async (tx) => {
      for (const event of events) await enqueueEvent(tx, "shipping", event);
    });
    for (const event of events) await waitFor(`fan-out of ${event.messageId}`, allHandledOnce(event.messageId));
    for (const subscriber of SUBSCRIBERS) {
      const jobs = await queueOf(subscriber).getJobs(["completed"]);
      for (const event of events) expect(jobs.filter((j) => j.id === event.messageId)).toHaveLength(1);
    }
  });

  it("re-publishes after a crash between publish and mark-sent; consumers see one effect", async () => {
    await relay?.stop();
    relay = undefined;
    const event = makeEvent();
    await enqueueCommitted(event);
    await expect(relayOutboxBatch(pool, "shipping", sender, 50, {
      beforeMarkSent: async () => { throw new Error("relay killed"); },
    })).rejects.toThrow(/relay killed/);
    expect(await sentAt(event.messageId)).toBeNull();
    await waitFor("first delivery handled", allHandledOnce(event.messageId));
    // The first jobs are gone (trimmed, or a Redis failover): BullMQ cannot deduplicate the re-publish.
    for (const subscriber of SUBSCRIBERS) await queueOf(subscriber).remove(event.messageId);
    expect(await relayOutboxBatch(pool, "shipping", sender)).toBeGreaterThanOrEqual(1);
    expect(await sentAt(event.messageId)).toBeInstanceOf(Date);
    const results = await waitFor("re-published jobs completed", async () => {
      const jobs = await Promise.all(SUBSCRIBERS.map((s) => queueOf(s).getJob(event.messageId)));
      const done = jobs.map((j) => j?.returnvalue as SubscribeResult | undefined);
      return done.every((r) => r !== undefined && r !== null) ? done : undefined;
    });
    expect(results.every((r) => r?.duplicate === true)).toBe(true);
    expect([...(await effects(event.messageId)).values()]).toEqual(SUBSCRIBERS.map(() => 1));
  });
});

describe("idempotent subscriber", () => {
  it("has one effect when the same event is delivered twice (and concurrently)", async () => {
    const event = makeEvent();
    const queue = queueOf("analytics");
    // Different job ids, same messageId: how a redelivery or a duplicate publish reaches a consumer.
    const jobs = await Promise.all([1, 2, 3].map((n) => queue.add(event.name, event, { jobId: `${event.messageId}-${n}` })));
    const results = await waitFor("deliveries to complete", async () => {
      const values = await Promise.all(jobs.map(async (j) => (await Queue.prototype.getJob.call(queue, j.id!))?.returnvalue as SubscribeResult | null));
      return values.every((v) => v) ? values : undefined;
    });
    expect(results.filter((r) => r?.duplicate === false)).toHaveLength(1);
    expect(results.filter((r) => r?.duplicate === true)).toHaveLength(2);
    expect((await effects(event.messageId)).get("analytics")).toBe(1);
  });

  it("rejects an invalid payload without retrying and without an effect", async () => {
    const worker = workers[SUBSCRIBERS.indexOf("analytics")]!;
    const failed = new Promise<{ attemptsMade: number; reason: string }>((resolve) =>
      worker.on("failed", (job, error) => job?.name === "BadEvent" && resolve({ attemptsMade: job.attemptsMade, reason: error.message })),
    );
    await queueOf("analytics").add("BadEvent", { messageId: "not-a-uuid" }, { attempts: 5 });
    const outcome = await Promise.race([failed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no failure")), 10_000))]);
    // UnrecoverableError: BullMQ fails it on the first attempt instead of retrying 5 times.
    expect(outcome.attemptsMade).toBe(1);
    expect(outcome.reason).toMatch(/invalid BadEvent payload.*messageId/);
  });
});

describe("trace context", () => {
  it("keeps the event in the writer's trace: writer -> send <topic> -> process <topic>.<subscriber>", async () => {
    relay = startOutboxRelay({ databaseUrl: TEST_CONFIG.databaseUrl, schema: "shipping", connection, log: () => undefined });
    const event = makeEvent();
    const root = trace.getTracer("kit-test").startSpan("test.placeOrder");
    await context.with(trace.setSpan(context.active(), root), () => enqueueCommitted(event));
    root.end();
    await waitFor("fan-out", allHandledOnce(event.messageId));
    const spans = await waitFor("process spans", async () => {
      const all = exporter.getFinishedSpans();
      return all.filter((s) => s.name.startsWith(`process ${TOPIC}.`)).length >= SUBSCRIBERS.length ? all : undefined;
    });
    const send = spans.find((s) => s.name === `send ${TOPIC}`);
    expect(send?.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(send?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(send?.attributes).toMatchObject({
      "app.outbox.id": event.messageId, "app.event.name": event.name, "messaging.message.id": event.messageId,
      "messaging.destination.name": TOPIC, "app.messaging.pattern": "publish-subscribe",
    });
    const processes = spans.filter((s) => s.name.startsWith(`process ${TOPIC}.`));
    for (const p of processes) {
      expect(p.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
      expect(p.attributes).toMatchObject({ "app.order.id": event.orderId, "app.order.style": "choreography", "app.event.name": event.name });
    }
    // Idle polling and the relay's own DB/Redis work start no traces of their own.
    const roots = spans.filter((s) => !s.parentSpanContext);
    expect(roots.map((s) => s.name)).toEqual(["test.placeOrder"]);
  });
});
