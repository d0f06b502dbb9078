/**
 * Outbox benchmark: `node --import tsx bench/outbox.ts [--events 5000] [--writers 8]`.
 * In one process, against its own database (switchyard_bench_outbox) and Redis prefix: `writers`
 * concurrent transactions each enqueue OrderCreated events (one per transaction, like an order
 * service), one relay publishes them (fan-out to every subscriber queue of `order-events`), and
 * one idempotent subscriber (`order-events.analytics`, no-op effect) consumes them. Prints the
 * publish rate, commit-to-published latency (p50/p99) and the consumer's rate. Untraced (no SDK):
 * it measures the messaging path itself. Asserts nothing.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { Events, Subscriptions, subscriberQueue, Topics, type EventEnvelope } from "../services/contracts/index.ts";
import { createServiceDb } from "../services/order/db.ts";
import { subscribe } from "../services/kit/messaging.ts";
import { enqueueEvent } from "../services/kit/outbox.ts";
import { startOutboxRelay } from "../services/kit/outbox-relay.ts";
import { Queue } from "bullmq";
import { ensureDatabase, migrateDatabase } from "../scripts/launcher/database.ts";

const { values: args } = parseArgs({ options: { events: { type: "string", default: "5000" }, writers: { type: "string", default: "8" } } });
const TOTAL = Number(args.events);
const WRITERS = Number(args.writers);
const DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/switchyard_bench_outbox";
const connection = { redisUrl: "redis://127.0.0.1:6379", prefix: `sybench-outbox-${randomUUID().slice(0, 8)}` };

function event(): EventEnvelope {
  return {
    messageId: randomUUID(), name: Events.ORDER_CREATED, orderId: randomUUID(), style: "hybrid", occurredAt: new Date().toISOString(),
    order: { customerId: "bench", productId: "sku-filter", quantity: 1, amountCents: 600 }, reason: null,
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = createServiceDb(DATABASE_URL);
  const pool = new pg.Pool({ connectionString: DATABASE_URL });
  await pool.query("UPDATE orders.outbox SET sent_at = now() WHERE sent_at IS NULL");
  let consumed = 0;
  const worker = subscribe({
    topic: Topics.ORDER_EVENTS, subscriber: "analytics", connection, db, schema: "analytics", log: () => undefined,
    handle: async () => void consumed++,
  });
  await worker.waitUntilReady();
  const relay = startOutboxRelay({ databaseUrl: DATABASE_URL, schema: "orders", connection, log: (m) => console.error(m) });
  const ids: string[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    while (next < TOTAL) {
      next++;
      const e = event();
      ids.push(e.messageId);
      await db.$transaction((tx) => enqueueEvent(tx, "orders", e));
    }
  }));
  const written = performance.now();
  let sent = 0;
  while (sent < TOTAL) {
    sent = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM orders.outbox WHERE id = ANY($1::uuid[]) AND sent_at IS NOT NULL", [ids])).rows[0]!.n;
    if (sent < TOTAL) await new Promise((r) => setTimeout(r, 20));
  }
  const published = performance.now();
  while (consumed < TOTAL) await new Promise((r) => setTimeout(r, 20));
  const done = performance.now();
  const lags = (await pool.query<{ ms: number }>(
    "SELECT extract(epoch FROM sent_at - created_at) * 1000 AS ms FROM orders.outbox WHERE id = ANY($1::uuid[]) ORDER BY 1", [ids])).rows.map((r) => Number(r.ms));
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`events ${TOTAL}, writers ${WRITERS}, subscriber queues per event ${Subscriptions[Topics.ORDER_EVENTS].length}`);
  console.log(`write:   ${(TOTAL / ((written - started) / 1000)).toFixed(0)} tx/s (${s(written - started)} s)`);
  console.log(`publish: all sent after ${s(published - started)} s -> ${(TOTAL / ((published - started) / 1000)).toFixed(0)} events/s fanned out`);
  console.log(`commit -> sent latency: p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms`);
  console.log(`consume (1 subscriber, concurrency 4): all done after ${s(done - started)} s -> ${(TOTAL / ((done - started) / 1000)).toFixed(0)} events/s`);
  await relay.stop();
  await worker.close();
  for (const subscriber of Subscriptions[Topics.ORDER_EVENTS]) {
    const queue = new Queue(subscriberQueue(Topics.ORDER_EVENTS, subscriber), { connection: { url: connection.redisUrl }, prefix: connection.prefix });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await pool.end();
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
