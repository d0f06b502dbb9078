/**
 * What names a trace in the list while its root has not arrived: the earliest span that is not a
 * CLIENT span (a Redis command, an SQL statement), until the root comes (telemetry.traces).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { ensureDatabase, migrateDatabase } from "../../scripts/launcher/database.ts";
import type { StoredSpan } from "./types.ts";
import { insertSpans } from "./write.ts";

const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
const traceIds: string[] = [];
const BASE = BigInt(Date.now()) * 1_000_000n;

function span(traceId: string, name: string, kind: StoredSpan["kind"], startMs: number, parent: string | null = "ffffffffffffffff"): StoredSpan {
  const start = BASE + BigInt(startMs) * 1_000_000n;
  return {
    traceId, spanId: randomBytes(8).toString("hex"), parentSpanId: parent, name, kind, serviceName: "order",
    startTimeUnixNano: start.toString(), endTimeUnixNano: (start + 1_000_000n).toString(), durationNs: "1000000",
    status: { code: "UNSET", message: null }, attributes: {}, events: [], links: [], resource: { "service.name": "order" }, scopeName: null,
  };
}

async function nameOf(traceId: string): Promise<{ root_name: string; has_root: boolean; span_count: number }> {
  const { rows } = await pool.query("SELECT root_name, has_root, span_count FROM telemetry.traces WHERE trace_id = $1", [traceId]);
  return rows[0];
}

function newTrace(): string {
  const id = randomBytes(16).toString("hex");
  traceIds.push(id);
  return id;
}

beforeAll(async () => {
  await ensureDatabase(TEST_CONFIG.databaseUrl);
  await migrateDatabase(TEST_CONFIG.databaseUrl);
});

afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [traceIds]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [traceIds]);
  await pool.end();
});

describe("the span that names a trace", () => {
  it("is not a Redis command that started first when a better span is in the batch", async () => {
    const id = newTrace();
    await insertSpans(pool, [span(id, "evalsha", "CLIENT", 0), span(id, "process order-events.payment", "CONSUMER", 2)]);
    expect(await nameOf(id)).toMatchObject({ root_name: "process order-events.payment", has_root: false });
  });

  it("improves batch by batch: a command, then a consumer, then the root", async () => {
    const id = newTrace();
    await insertSpans(pool, [span(id, "evalsha", "CLIENT", 1)]);
    expect((await nameOf(id)).root_name).toBe("evalsha");
    await insertSpans(pool, [span(id, "process shipping-events.order", "CONSUMER", 5), span(id, "INSERT orders.outbox", "CLIENT", 0)]);
    expect((await nameOf(id)).root_name).toBe("process shipping-events.order");
    // Same rank, earlier: the earlier span names it.
    await insertSpans(pool, [span(id, "send order-events", "PRODUCER", 3)]);
    expect((await nameOf(id)).root_name).toBe("send order-events");
    await insertSpans(pool, [span(id, "order.placeOrder", "SERVER", 10, null)]);
    expect(await nameOf(id)).toMatchObject({ root_name: "order.placeOrder", has_root: true, span_count: 5 });
    // Nothing replaces the root, however early.
    await insertSpans(pool, [span(id, "process early", "CONSUMER", -5)]);
    expect((await nameOf(id)).root_name).toBe("order.placeOrder");
  });
});
