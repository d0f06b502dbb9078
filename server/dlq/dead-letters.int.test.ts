/** The dead-letter router against the real span store: list + filters, forTrace, replay input. */
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ReplayOutcome } from "../../services/contracts/index.ts";
import type { Replayer } from "./replay.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { createDb, type Db } from "../db.ts";
import { createDeadLettersRouter } from "../routers/dead-letters.ts";
import { createCallerFactory } from "../routers/trpc.ts";
import type { InventoryApi, OrderApi } from "../routers/service-clients.ts";
import type { StoredSpan } from "../store/types.ts";
import { insertSpans } from "../store/write.ts";
import fixture from "./fixtures/dead-letters.json" with { type: "json" };

const runId = randomBytes(4).toString("hex");
const payQueue = `dlqtest-${runId}.payment`;
const shipQueue = `dlqtest-${runId}.order`;
const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
let db: Db;

/** The fixture with queue names and trace ids unique to this run (the test DB is shared). */
function seeded(): StoredSpan[] {
  const traceIds = new Map<string, string>();
  const text = JSON.stringify(fixture)
    .replaceAll("order-events.payment", payQueue)
    .replaceAll("shipping-events.order", shipQueue)
    .replace(/\b[0-9a-f]{32}\b/g, (id) => traceIds.get(id) ?? (traceIds.set(id, randomBytes(16).toString("hex")), traceIds.get(id)!));
  return JSON.parse(text) as StoredSpan[];
}
const spans = seeded();

const replay = vi.fn(async (ids: readonly string[]): Promise<ReplayOutcome[]> => ids.map((id) => ({ id, status: "not-found", traceId: null, jobId: null })));
const replayer: Replayer = { replay, close: async () => undefined };
const caller = () =>
  createCallerFactory(createDeadLettersRouter(() => replayer))({ db, order: {} as OrderApi, inventory: {} as InventoryApi });

beforeAll(async () => {
  db = createDb(TEST_CONFIG.databaseUrl);
  await insertSpans(pool, spans);
});
afterAll(async () => {
  await pool.query("DELETE FROM telemetry.spans WHERE trace_id = ANY($1)", [[...new Set(spans.map((s) => s.traceId))]]);
  await pool.query("DELETE FROM telemetry.traces WHERE trace_id = ANY($1)", [[...new Set(spans.map((s) => s.traceId))]]);
  await db.$disconnect();
  await pool.end();
});

describe("deadLetters.list", () => {
  it("rebuilds the dead letters of the stored spans with their replay status", async () => {
    const { items, queues } = await caller().list({ queue: payQueue });
    expect(queues).toEqual(expect.arrayContaining([payQueue, shipQueue]));
    const status = Object.fromEntries(items.map((e) => [e.originalJobId, e.replay?.status ?? "waiting"]));
    expect(status).toEqual({ "job-a": "waiting", "job-b": "processed", "job-d": "failed-again", "job-d~replay": "waiting", "job-g": "pending" });
  });

  it("filters by reason and by replayed", async () => {
    expect((await caller().list({ queue: payQueue, reason: "unrecoverable" })).items.map((e) => e.originalJobId)).toEqual(["job-a"]);
    expect((await caller().list({ queue: payQueue, replayed: "yes" })).items.map((e) => e.originalJobId).sort()).toEqual(["job-b", "job-d", "job-g"]);
    expect((await caller().list({ queue: shipQueue, replayed: "no" })).items).toEqual([]);
  });

  it("rejects a bad filter", async () => {
    await expect(caller().list({ reason: "bored" as never })).rejects.toBeInstanceOf(TRPCError);
  });
});

describe("deadLetters.forTrace", () => {
  it("shows, on the original trace, that its message was replayed and how that ended", async () => {
    const original = spans.find((s) => s.name === `dead-letter ${payQueue}` && s.attributes["app.dlq.original_job_id"] === "job-b")!;
    const [entry] = await caller().forTrace({ traceId: original.traceId });
    expect(entry).toMatchObject({ originalJobId: "job-b", replay: { status: "processed" } });
    const fromReplay = await caller().forTrace({ traceId: entry!.replay!.traceId });
    expect(fromReplay.map((e) => e.originalJobId)).toEqual(["job-b"]);
  });
});

describe("deadLetters.replay", () => {
  it("passes valid ids to the replayer and refuses malformed ones without calling it", async () => {
    expect(await caller().replay({ ids: [`${payQueue}/job-a`] })).toEqual([{ id: `${payQueue}/job-a`, status: "not-found", traceId: null, jobId: null }]);
    replay.mockClear();
    await expect(caller().replay({ ids: ["no-slash"] })).rejects.toBeInstanceOf(TRPCError);
    await expect(caller().replay({ ids: [] })).rejects.toBeInstanceOf(TRPCError);
    expect(replay).not.toHaveBeenCalled();
  });
});
