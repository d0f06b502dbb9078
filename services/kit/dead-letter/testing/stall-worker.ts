/**
 * A tiny worker process for the stall test (dead-letter.int.test.ts): consumes `STALL_QUEUE` with
 * the kit's createWorker and short stall settings. Its effect is idempotent (one row per message
 * id, ON CONFLICT DO NOTHING); every run is also counted. With `HANG_AFTER_EFFECT=1` it writes the
 * effect, prints `EFFECT <jobId>` and then never finishes, so the test can SIGKILL it mid-job.
 * `MAX_STALLED` / `RECONCILE_MS` tune stall limit and reconciler period.
 */
import pg from "pg";
import { MessagingPattern } from "../../../contracts/index.ts";
import { createWorker } from "../../queue.ts";

const { STALL_QUEUE, REDIS_URL, REDIS_PREFIX, DATABASE_URL, EFFECT_TABLE, HANG_AFTER_EFFECT, MAX_STALLED = "1", RECONCILE_MS = "60000" } = process.env;
if (!STALL_QUEUE || !REDIS_URL || !REDIS_PREFIX || !DATABASE_URL || !EFFECT_TABLE || !/^[a-z0-9_.]+$/.test(EFFECT_TABLE)) {
  console.error("stall-worker: STALL_QUEUE, REDIS_URL, REDIS_PREFIX, DATABASE_URL, EFFECT_TABLE are required");
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const worker = createWorker<{ messageId: string }>(
  STALL_QUEUE,
  { redisUrl: REDIS_URL, prefix: REDIS_PREFIX },
  MessagingPattern.POINT_TO_POINT,
  async (job) => {
    await pool.query(`UPDATE ${EFFECT_TABLE} SET runs = runs + 1 WHERE message_id = 'runs'`);
    const inserted = await pool.query(`INSERT INTO ${EFFECT_TABLE} (message_id, runs) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [job.data.messageId]);
    console.log(`EFFECT ${job.id} ${inserted.rowCount === 1 ? "first" : "duplicate"}`);
    if (HANG_AFTER_EFFECT === "1") await new Promise(() => undefined);
    return { duplicate: inserted.rowCount === 0 };
  },
  { lockDurationMs: 1_500, stalledIntervalMs: 500, maxStalledCount: Number(MAX_STALLED), reconcileIntervalMs: Number(RECONCILE_MS), reconcileGraceMs: 0 },
);
await worker.waitUntilReady();
console.log("READY");
