/**
 * pg-tx against the real PostgreSQL (test slot database): commit, rollback, one span per
 * statement, and the unique-key wait that makes the processed-message ledger idempotent.
 */
import { randomUUID } from "node:crypto";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { ensureDatabase, migrateDatabase } from "../../scripts/launcher/database.ts";
import { createPgDb, statementSummary, type PgDb } from "./pg-tx.ts";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const table = `kit_test.pg_tx_${randomUUID().slice(0, 8)}`;
let db: PgDb;

beforeAll(async () => {
  await ensureDatabase(TEST_CONFIG.databaseUrl);
  await migrateDatabase(TEST_CONFIG.databaseUrl);
  db = createPgDb(TEST_CONFIG.databaseUrl, { max: 3 });
  await db.$executeRawUnsafe("CREATE SCHEMA IF NOT EXISTS kit_test");
  await db.$executeRawUnsafe(`CREATE TABLE ${table} (id text PRIMARY KEY, n int NOT NULL)`);
});

afterAll(async () => {
  await db?.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table}`);
  await db?.end();
  await provider.shutdown();
});

const count = async (id: string) => (await db.$queryRawUnsafe<{ n: number }[]>(`SELECT n FROM ${table} WHERE id = $1`, id))[0]?.n;

describe("pg transactions", () => {
  it("commits what the function did, with one CLIENT span per statement under the caller's span", async () => {
    exporter.reset();
    await trace.getTracer("test").startActiveSpan("handler", async (span) => {
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO kit_test.never_spliced_${"x"} VALUES (1)`.catch(() => undefined);
      }).catch(() => undefined);
      const written = await db.$transaction(async (tx) => {
        const inserted = await tx.$executeRawUnsafe(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, "a", 1);
        const rows = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT n FROM ${table} WHERE id = $1`, "a");
        return { inserted, n: rows[0]?.n };
      });
      span.end();
      expect(written).toEqual({ inserted: 1, n: 1 });
    });
    expect(await count("a")).toBe(1);
    const spans = exporter.getFinishedSpans();
    const handler = spans.find((s) => s.name === "handler")!;
    const statements = spans.filter((s) => s.attributes["db.system.name"] === "postgresql");
    expect(statements.map((s) => s.name)).toEqual(["INSERT kit_test.never_spliced_", `INSERT ${table}`, `SELECT ${table}`]);
    expect(statements[0]!.attributes["db.query.text"]).toBe("INSERT INTO kit_test.never_spliced_$1 VALUES (1)");
    expect(statements.every((s) => s.parentSpanContext?.spanId === handler.spanContext().spanId)).toBe(true);
    // The template value was bound as $1, so the statement failed instead of naming a table "x".
    expect(statements[0]!.status.code).toBe(2);
  });

  it("rolls back everything when the function throws, and the connection is reusable", async () => {
    await expect(db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO ${table} (id, n) VALUES ($1, $2)`, "b", 1);
      throw new Error("handler failed after its write");
    })).rejects.toThrow(/handler failed/);
    expect(await count("b")).toBeUndefined();
    for (let i = 0; i < 5; i++) await db.$transaction((tx) => tx.$executeRawUnsafe(`INSERT INTO ${table} (id, n) VALUES ($1, 1)`, `c${i}`));
    expect(await count("c4")).toBe(1);
  });

  it("makes a concurrent duplicate wait for the first and then insert nothing (the ledger's guarantee)", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const insert = `INSERT INTO ${table} (id, n) VALUES ($1, 1) ON CONFLICT DO NOTHING`;
    const first = db.$transaction(async (tx) => {
      const n = await tx.$executeRawUnsafe(insert, "dup");
      await held;
      return n;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = db.$transaction((tx) => tx.$executeRawUnsafe(insert, "dup"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    expect(await Promise.all([first, second])).toEqual([1, 0]);
  });

  it("runs a single tagged-template statement on the pool (its own implicit transaction), with its span", async () => {
    exporter.reset();
    expect(await db.$executeRaw`INSERT INTO kit_test.pg_tx_single_${"y"} VALUES (1)`.catch(() => -1)).toBe(-1);
    const inserted = await db.$executeRawUnsafe(`INSERT INTO ${table} (id, n) VALUES ($1, 7)`, "single");
    const rows = await db.$queryRaw<{ n: number }[]>`SELECT ${"single"}::text AS id, 7 AS n`;
    expect([inserted, rows]).toEqual([1, [{ id: "single", n: 7 }]]);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["INSERT kit_test.pg_tx_single_", "SELECT"]);
  });

  it("a statement past the transaction's timeout is cancelled by PostgreSQL", async () => {
    await expect(db.$transaction((tx) => tx.$queryRawUnsafe("SELECT pg_sleep(2)"), { timeout: 100 })).rejects.toThrow(/statement timeout/);
  });
});

describe("statementSummary", () => {
  it("names the operation and the table", () => {
    expect(statementSummary(`INSERT INTO "analytics"."event_counts" ("style") VALUES ($1)`)).toBe("INSERT analytics.event_counts");
    expect(statementSummary(`\n  UPDATE orders.orders SET x = 1`)).toBe("UPDATE orders.orders");
    expect(statementSummary(`SELECT n FROM t WHERE id = $1`)).toBe("SELECT t");
    expect(statementSummary(`DELETE FROM "a"."b"`)).toBe("DELETE a.b");
    expect(statementSummary(`WITH x AS (SELECT 1) INSERT INTO s.t SELECT * FROM x`)).toBe("INSERT s.t");
    expect(statementSummary(`SELECT 1`)).toBe("SELECT");
  });
});
