/**
 * enqueueEventWith against the real PostgreSQL (test slot database): the state change and the
 * outbox row announcing it are one statement, so they happen together or not at all.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Events, type EventEnvelope } from "../contracts/index.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { ensureDatabase, migrateDatabase } from "../../scripts/launcher/database.ts";
import { enqueueEventWith } from "./outbox.ts";
import { registerLocalRelay } from "./outbox-signal.ts";
import { createPgDb, type PgDb } from "./pg-tx.ts";
import { sql } from "./statement.ts";

let db: PgDb;

function makeEvent(): EventEnvelope {
  return {
    messageId: randomUUID(), name: Events.SHIPMENT_CREATED, orderId: randomUUID(), style: "choreography",
    occurredAt: new Date().toISOString(), order: { customerId: "kit", productId: "sku-filter", quantity: 1, amountCents: 600 }, reason: null,
  };
}

/** A change that happens once per key (a second one returns no row), like PENDING -> CONFIRMED. */
const claim = (key: string) => sql`INSERT INTO kit_test.outbox_claims (key) VALUES (${key}) ON CONFLICT DO NOTHING RETURNING 1`;
const outboxRow = async (id: string) =>
  (await db.$queryRawUnsafe<{ event_name: string; payload: EventEnvelope }[]>(`SELECT event_name, payload FROM shipping.outbox WHERE id = $1::uuid`, id))[0];

beforeAll(async () => {
  await ensureDatabase(TEST_CONFIG.databaseUrl);
  await migrateDatabase(TEST_CONFIG.databaseUrl);
  db = createPgDb(TEST_CONFIG.databaseUrl, { max: 2 });
  await db.$executeRawUnsafe("CREATE SCHEMA IF NOT EXISTS kit_test");
  await db.$executeRawUnsafe("CREATE TABLE IF NOT EXISTS kit_test.outbox_claims (key text PRIMARY KEY)");
});

afterAll(async () => {
  await db?.end();
});

describe("enqueueEventWith", () => {
  it("writes the event with the change, and nothing when the change returns no row", async () => {
    const key = randomUUID();
    const first = makeEvent();
    expect(await enqueueEventWith(db, "shipping", claim(key), first)).toBe(true);
    expect(await outboxRow(first.messageId)).toMatchObject({ event_name: Events.SHIPMENT_CREATED, payload: { orderId: first.orderId } });
    const second = makeEvent();
    expect(await enqueueEventWith(db, "shipping", claim(key), second)).toBe(false);
    expect(await outboxRow(second.messageId)).toBeUndefined();
  });

  it("wakes the process's own relay after the statement, without a NOTIFY", async () => {
    let woken = 0;
    const unregister = registerLocalRelay("shipping", () => woken++);
    try {
      const event = makeEvent();
      expect(await enqueueEventWith(db, "shipping", claim(randomUUID()), event)).toBe(true);
      expect(woken).toBe(1);
      expect(await outboxRow(event.messageId)).toBeDefined();
    } finally {
      unregister();
    }
  });

  it("refuses a change without RETURNING (it could not say whether it happened) and writes nothing", async () => {
    const event = makeEvent();
    await expect(enqueueEventWith(db, "shipping", sql`UPDATE kit_test.outbox_claims SET key = key WHERE false`, event)).rejects.toThrow(/must RETURN/);
    expect(await outboxRow(event.messageId)).toBeUndefined();
  });

  it("writes nothing when the event is invalid", async () => {
    const key = randomUUID();
    await expect(enqueueEventWith(db, "shipping", claim(key), { ...makeEvent(), messageId: "not-a-uuid" })).rejects.toThrow();
    expect(await db.$queryRawUnsafe<unknown[]>("SELECT 1 FROM kit_test.outbox_claims WHERE key = $1", key)).toEqual([]);
  });
});
