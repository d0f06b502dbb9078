/**
 * The dead-letter queue against a real Redis (and PostgreSQL for the stall test): retries and
 * dead-lettering with spans, unrecoverable errors, the reconciler, idempotent replay with links,
 * and a SIGKILLed worker whose job runs again after stall detection with one effect.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { Queue, UnrecoverableError, type Worker } from "bullmq";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attr, DEAD_LETTER_QUEUE, DeadLetterRecordSchema, deadLetterId, MessagingPattern, replayJobId } from "../../contracts/index.ts";
import { TEST_CONFIG } from "../../../scripts/launcher/test-config.ts";
import { createWorker, DEFAULT_JOB_OPTIONS, type QueueConnection } from "../queue.ts";
// The round trip needs both sides: kit workers dead-letter, the dashboard's replayer sends back.
import { createReplayer } from "../../../server/dlq/replay.ts";
import { waitFor } from "../../../tests/support/wait-for.ts";
import { createDeadLetterer, startDeadLetterReconciler } from "./index.ts";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const tracer = provider.getTracer("dead-letter-test");

const connection: QueueConnection = { redisUrl: TEST_CONFIG.redisUrl, prefix: `${TEST_CONFIG.redisPrefix}-dlq` };
const FAST = { attempts: 3, backoff: { type: "exponential", delay: 50 } } as const;
const closers: (() => Promise<unknown>)[] = [];
let dlq: Queue;

function queueFor(name: string): Queue {
  const queue = new Queue(name, { connection: { url: connection.redisUrl }, prefix: connection.prefix });
  closers.push(() => queue.close());
  return queue;
}

function workerFor(name: string, processor: Parameters<typeof createWorker>[3], tuning = {}): Worker {
  const worker = createWorker(name, connection, MessagingPattern.POINT_TO_POINT, processor, { reconcileIntervalMs: 60_000, ...tuning });
  closers.push(() => worker.close());
  return worker;
}

/** Adds a job inside a `send` span so it carries a trace context like a real producer's. */
async function sendTraced(queue: Queue, data: unknown, opts = {}): Promise<{ jobId: string; traceId: string; spanId: string }> {
  const span = tracer.startSpan(`send ${queue.name}`, { kind: SpanKind.PRODUCER });
  const { traceId, spanId } = span.spanContext();
  const metadata = JSON.stringify({ traceparent: `00-${traceId}-${spanId}-01` });
  const job = await queue.add("TestMessage", data, { ...DEFAULT_JOB_OPTIONS, ...opts, telemetry: { metadata } });
  span.end();
  return { jobId: String(job.id), traceId, spanId };
}

const spansNamed = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);
const dlqRecord = async (id: string) => {
  const job = await dlq.getJob(id);
  return job ? DeadLetterRecordSchema.parse(job.data) : undefined;
};

beforeAll(async () => {
  dlq = queueFor(DEAD_LETTER_QUEUE);
  await dlq.obliterate({ force: true });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await provider.shutdown();
});

describe("retries and dead-lettering", () => {
  it("retries a transient failure with backoff, then dead-letters it with reason, attempts and trace context", async () => {
    const name = `dlq-transient-${randomUUID().slice(0, 8)}`;
    const queue = queueFor(name);
    workerFor(name, async () => {
      throw new Error("payment gateway timeout");
    });
    const sent = await sendTraced(queue, { messageId: randomUUID(), amount: 42 }, FAST);
    const id = deadLetterId(name, sent.jobId);
    const record = await waitFor("the DLQ record", () => dlqRecord(id));
    expect(record).toMatchObject({ reason: "exhausted", detectedBy: "worker", sourceQueue: name, attemptsMade: 3, maxAttempts: 3, jobName: "TestMessage" });
    expect(record.error.message).toBe("payment gateway timeout");
    expect(record.error.stack).toContain("payment gateway timeout");
    expect(record.traceparent).toBe(`00-${sent.traceId}-${sent.spanId}-01`);
    expect(record.payload).toMatchObject({ amount: 42 });
    // Moved, not copied: the failed set no longer holds it.
    expect(await queue.getJob(sent.jobId)).toBeUndefined();

    const processSpans = await waitFor("3 process spans", async () => {
      const found = spansNamed(`process ${name}`);
      return found.length >= 3 && found;
    });
    expect(processSpans.map((s) => s.attributes[Attr.JOB_ATTEMPT]).sort()).toEqual([1, 2, 3]);
    const delays = processSpans.filter((s) => s.attributes[Attr.JOB_RETRY_DELAY_MS] !== undefined).map((s) => s.attributes[Attr.JOB_RETRY_DELAY_MS]);
    expect(delays.sort()).toEqual([100, 50]);
    const last = processSpans.find((s) => s.attributes[Attr.JOB_FINAL_FAILURE] === true)!;
    expect(last.attributes[Attr.JOB_ATTEMPT]).toBe(3);

    const [dead] = await waitFor("the dead-letter span", async () => spansNamed(`dead-letter ${name}`).length > 0 && spansNamed(`dead-letter ${name}`));
    expect(dead!.spanContext().traceId).toBe(sent.traceId);
    expect(dead!.parentSpanContext?.spanId).toBe(last.spanContext().spanId);
    expect(dead!.attributes).toMatchObject({
      [Attr.DLQ_ID]: id,
      [Attr.DLQ_REASON]: "exhausted",
      [Attr.DLQ_ATTEMPTS]: 3,
      [Attr.DLQ_SOURCE_QUEUE]: name,
      [Attr.MESSAGING_DESTINATION_NAME]: DEAD_LETTER_QUEUE,
    });
    expect(JSON.parse(String(dead!.attributes[Attr.DLQ_PAYLOAD]))).toMatchObject({ amount: 42 });
    expect(record.deadLetterSpan).toEqual({ traceId: sent.traceId, spanId: dead!.spanContext().spanId });
  });

  it("dead-letters an UnrecoverableError after one attempt", async () => {
    const name = `dlq-unrecoverable-${randomUUID().slice(0, 8)}`;
    const queue = queueFor(name);
    let calls = 0;
    workerFor(name, async () => {
      calls += 1;
      throw new UnrecoverableError("invalid payload: amount must be positive");
    });
    const sent = await sendTraced(queue, { amount: -1 }, FAST);
    const record = await waitFor("the DLQ record", () => dlqRecord(deadLetterId(name, sent.jobId)));
    expect(record).toMatchObject({ reason: "unrecoverable", attemptsMade: 1, maxAttempts: 3 });
    expect(record.error.type).toBe("UnrecoverableError");
    expect(calls).toBe(1);
  });
});

describe("reconciler", () => {
  it("moves a failed job that never reached the DLQ, under a reconcile span, once", async () => {
    const name = `dlq-reconcile-${randomUUID().slice(0, 8)}`;
    const queue = queueFor(name);
    // A worker without dead-lettering stands for one that crashed between failing and moving.
    workerFor(name, async () => {
      throw new Error("disk full");
    }, { deadLetter: false });
    const sent = await sendTraced(queue, { n: 1 }, { attempts: 1 });
    await waitFor("the failed job", async () => (await queue.getJobState(sent.jobId)) === "failed");
    const deadLetterer = createDeadLetterer(connection);
    const reconciler = startDeadLetterReconciler({ queueName: name, connection, deadLetterer, intervalMs: 60_000, graceMs: 0 });
    closers.push(async () => (reconciler.stop(), deadLetterer.close()));
    expect(await reconciler.runOnce()).toBe(1);
    expect(await reconciler.runOnce()).toBe(0);
    const record = await dlqRecord(deadLetterId(name, sent.jobId));
    expect(record).toMatchObject({ reason: "exhausted", detectedBy: "reconciler", attemptsMade: 1 });
    expect(record!.error.message).toBe("disk full");
    expect(await queue.getJob(sent.jobId)).toBeUndefined();
    const reconcileSpans = exporter.getFinishedSpans().filter((s) => s.name === "reconcile dead-letters" && s.attributes[Attr.DLQ_SOURCE_QUEUE] === name);
    expect(reconcileSpans).toHaveLength(1);
    expect(reconcileSpans[0]!.attributes[Attr.DLQ_RECONCILED_COUNT]).toBe(1);
    const [dead] = spansNamed(`dead-letter ${name}`);
    expect(dead!.spanContext().traceId).toBe(sent.traceId);
    expect(dead!.attributes[Attr.DLQ_DETECTED_BY]).toBe("reconciler");
  });
});

describe("replay", () => {
  it("replays once under two concurrent requests, in a new trace linked to the original and the dead-lettering", async () => {
    const name = `dlq-replay-${randomUUID().slice(0, 8)}`;
    const queue = queueFor(name);
    let isBroken = true;
    const processed: string[] = [];
    workerFor(name, async (job) => {
      if (isBroken) throw new UnrecoverableError("poison");
      processed.push(String(job.id));
      return "ok";
    });
    const sent = await sendTraced(queue, { messageId: randomUUID() }, FAST);
    const id = deadLetterId(name, sent.jobId);
    const record = await waitFor("the DLQ record", () => dlqRecord(id));
    isBroken = false;
    const tabs = [createReplayer({ connection, tracer }), createReplayer({ connection, tracer })];
    closers.push(() => Promise.all(tabs.map((r) => r.close())));
    const results = (await Promise.all([tabs[0]!.replay([id]), tabs[1]!.replay([id]), tabs[0]!.replay([id])])).flat();
    expect(results.filter((r) => r.status === "replayed")).toHaveLength(1);
    expect(results.filter((r) => r.status === "already-replayed")).toHaveLength(2);
    const replayed = results.find((r) => r.status === "replayed")!;
    expect(replayed.jobId).toBe(replayJobId(sent.jobId));
    await waitFor("the replayed job to be processed", async () => processed.length > 0);
    expect(processed).toEqual([replayJobId(sent.jobId)]);
    expect(await dlq.getJob(id)).toBeUndefined();
    expect(await tabs[1]!.replay([id])).toEqual([{ id, status: "already-replayed", traceId: null, jobId: null }]);

    const [replaySpan] = spansNamed(`replay ${name}`);
    expect(replaySpan!.spanContext().traceId).toBe(replayed.traceId);
    expect(replaySpan!.spanContext().traceId).not.toBe(sent.traceId);
    expect(replaySpan!.parentSpanContext).toBeUndefined();
    expect(replaySpan!.attributes[Attr.DLQ_ID]).toBe(id);
    expect(replaySpan!.links.map((l) => [l.context.traceId, l.context.spanId, l.attributes?.[Attr.LINK_TYPE]])).toEqual([
      [sent.traceId, sent.spanId, "dead-letter-origin"],
      [sent.traceId, record.deadLetterSpan!.spanId, "dead-lettering"],
    ]);
    const ok = await waitFor("the replayed process span", async () =>
      spansNamed(`process ${name}`).find((s) => s.spanContext().traceId === replayed.traceId && s.status.code !== 2),
    );
    expect(ok.parentSpanContext?.spanId).toBe(replaySpan!.spanContext().spanId);
  });

  it("answers not-found for an unknown id and changes nothing", async () => {
    const replayer = createReplayer({ connection, tracer });
    closers.push(() => replayer.close());
    expect(await replayer.replay(["nope/123"])).toEqual([{ id: "nope/123", status: "not-found", traceId: null, jobId: null }]);
  });
});

describe("stalled jobs", () => {
  const table = `d2_stall_${randomUUID().slice(0, 8)}`;
  const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 2 });
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  });

  function startWorker(queueName: string, hang: boolean, extraEnv: Record<string, string> = {}): { child: ChildProcess; lines: string[] } {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "testing/stall-worker.ts")], {
      env: { ...process.env, STALL_QUEUE: queueName, REDIS_URL: connection.redisUrl, REDIS_PREFIX: connection.prefix, DATABASE_URL: TEST_CONFIG.databaseUrl, EFFECT_TABLE: table, HANG_AFTER_EFFECT: hang ? "1" : "0", ...extraEnv },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    const lines: string[] = [];
    child.stdout!.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
    return { child, lines };
  }

  it("runs a SIGKILLed worker's job again after stall detection, with one effect", async () => {
    await pool.query(`CREATE TABLE ${table} (message_id text PRIMARY KEY, runs int NOT NULL)`);
    await pool.query(`INSERT INTO ${table} VALUES ('runs', 0)`);
    const name = `dlq-stall-${randomUUID().slice(0, 8)}`;
    const queue = queueFor(name);
    const first = startWorker(name, true);
    await waitFor("the first worker", async () => first.lines.includes("READY"), 30_000);
    const messageId = randomUUID();
    const job = await queue.add("TestMessage", { messageId }, DEFAULT_JOB_OPTIONS);
    await waitFor("the effect of the first run", async () => first.lines.some((l) => l.startsWith(`EFFECT ${job.id} first`)));
    first.child.kill("SIGKILL");
    await waitFor("the first worker to die", async () => first.child.exitCode !== null || first.child.signalCode !== null);
    expect(await queue.getJobState(String(job.id))).toBe("active");

    const second = startWorker(name, false);
    await waitFor("the job to complete after stall detection", async () => (await queue.getJobState(String(job.id))) === "completed", 30_000);
    expect(second.lines).toContain(`EFFECT ${job.id} duplicate`);
    const rows = (await pool.query(`SELECT message_id, runs FROM ${table} ORDER BY message_id`)).rows;
    expect(rows).toEqual(expect.arrayContaining([{ message_id: messageId, runs: 0 }, { message_id: "runs", runs: 2 }]));
    expect(rows).toHaveLength(2);
  });

  it("dead-letters a job that stalled more than maxStalledCount, without running it again", async () => {
    const name = `dlq-stalled-${randomUUID().slice(0, 8)}`;
    const queue = queueFor(name);
    const first = startWorker(name, true);
    await waitFor("the first worker", async () => first.lines.includes("READY"), 30_000);
    const job = await queue.add("TestMessage", { messageId: randomUUID() }, DEFAULT_JOB_OPTIONS);
    await waitFor("the first run", async () => first.lines.some((l) => l.startsWith(`EFFECT ${job.id}`)));
    first.child.kill("SIGKILL");
    // No stall is allowed: the stalled check marks the job (BullMQ 6: a deferred failure), and the
    // next worker to fetch it fails it without calling the processor; that failure is dead-lettered.
    const second = startWorker(name, false, { MAX_STALLED: "0" });
    const record = await waitFor("the stalled job in the DLQ", () => dlqRecord(deadLetterId(name, String(job.id))), 30_000);
    expect(record).toMatchObject({ reason: "stalled", detectedBy: "worker", sourceQueue: name, attemptsMade: 1 });
    expect(record.error.message).toBe("job stalled more than allowable limit");
    expect(second.lines.some((l) => l.startsWith(`EFFECT ${job.id}`))).toBe(false);
  });
});
