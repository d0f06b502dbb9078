/** The queues router and admin against real BullMQ on the test slot's Redis prefix. */
import { randomBytes } from "node:crypto";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Queue, Worker, type Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { waitFor } from "../../tests/support/wait-for.ts";
import type { Db } from "../db.ts";
import { createQueuesRouter } from "../routers/queues.ts";
import type { InventoryApi, OrderApi } from "../routers/service-clients.ts";
import { createCallerFactory } from "../routers/trpc.ts";
import { DEAD_LETTER_QUEUE } from "../../services/contracts/index.ts";
import { createQueueAdmin } from "./queue-admin.ts";
import { discardedIds } from "./view-models.ts";

const runId = randomBytes(4).toString("hex");
const connection = { redisUrl: TEST_CONFIG.redisUrl, prefix: TEST_CONFIG.redisPrefix };
const bull = { connection: { url: connection.redisUrl }, prefix: connection.prefix };
const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("test");
const admin = createQueueAdmin(connection, tracer);
const caller = createCallerFactory(createQueuesRouter(() => admin))({ db: {} as Db, order: {} as OrderApi, inventory: {} as InventoryApi });
const TRACEPARENT = `00-${"ab".repeat(16)}-${"cd".repeat(8)}-01`;

const opened: Worker[] = [];
const queues = new Map<string, Queue>();
function queue(name: string): Queue {
  if (!queues.has(name)) queues.set(name, new Queue(name, bull));
  return queues.get(name)!;
}

afterAll(async () => {
  for (const worker of opened) await worker.close();
  // This run's queues leave nothing behind (the e2e system lists every queue of the prefix).
  for (const [name, q] of queues) {
    if (name !== DEAD_LETTER_QUEUE) await q.obliterate({ force: true });
    await q.close();
  }
  await admin.close();
});

describe("retry", () => {
  const name = `qtest-${runId}-retry`;
  const processed: string[] = [];
  let isBroken = true;
  let worker: Worker;

  beforeAll(async () => {
    worker = new Worker(
      name,
      async (job: Job) => {
        if (isBroken) throw new Error("poison for now");
        processed.push(String(job.id));
        return { handled: true };
      },
      { ...bull, connection: { ...bull.connection, maxRetriesPerRequest: null } },
    );
    opened.push(worker);
  });

  it("shows a failed job with its reason, attempts and trace, and a retry after the fault is gone processes it once", async () => {
    await queue(name).add("OrderCreated", { orderId: "o-1" }, { jobId: "m-1", attempts: 2, telemetry: { metadata: JSON.stringify({ traceparent: TRACEPARENT }) } });
    await waitFor("the job failed for good", async () => (await queue(name).getJobCounts("failed")).failed === 1);

    const { items } = await caller.list({ search: name });
    expect(items.map((q) => q.name)).toEqual([name]);
    expect(items[0]!.counts.failed).toBe(1);
    const { jobs, total } = await caller.jobs({ queue: name, state: "failed" });
    expect(total).toBe(1);
    expect(jobs[0]).toMatchObject({ id: "m-1", attemptsMade: 2, maxAttempts: 2, failedReason: "poison for now", traceId: "ab".repeat(16) });
    expect(jobs[0]!.payload).toContain('"orderId": "o-1"');

    isBroken = false;
    expect(await caller.retry({ queue: name, ids: ["m-1", "nope"] })).toEqual([
      { id: "m-1", status: "done", message: null },
      { id: "nope", status: "not-found", message: null },
    ]);
    await waitFor("the retried job completed", async () => (await queue(name).getJobCounts("completed")).completed === 1);
    expect(processed).toEqual(["m-1"]);
    expect((await caller.job({ queue: name, id: "m-1" })).state).toBe("completed");
    // A second retry (double click, another tab) of a job no longer failed is refused and changes nothing.
    expect(await caller.retry({ queue: name, ids: ["m-1"] })).toEqual([
      { id: "m-1", status: "failed", message: "job m-1 is completed; only failed jobs can be retried" },
    ]);
    expect(processed).toEqual(["m-1"]);

    const span = exporter.getFinishedSpans().find((s) => s.name === `retry ${name}`);
    expect(span?.attributes["messaging.destination.name"]).toBe(name);
  });
});

describe("clean, promote and remove", () => {
  const name = `qtest-${runId}-clean`;

  beforeAll(async () => {
    const worker = new Worker(
      name,
      async (job: Job<{ ok: boolean }>) => {
        if (!job.data.ok) throw new Error("no");
        return "ok";
      },
      { ...bull, connection: { ...bull.connection, maxRetriesPerRequest: null } },
    );
    const q = queue(name);
    await q.addBulk([
      { name: "a", data: { ok: true }, opts: { jobId: "c-1" } },
      { name: "a", data: { ok: true }, opts: { jobId: "c-2" } },
      { name: "a", data: { ok: false }, opts: { jobId: "f-1" } },
      { name: "a", data: { ok: false }, opts: { jobId: "f-2" } },
    ]);
    await waitFor("2 completed and 2 failed", async () => {
      const counts = await q.getJobCounts("completed", "failed");
      return counts.completed === 2 && counts.failed === 2;
    });
    await worker.close();
    await q.add("a", { ok: true }, { jobId: "w-1" });
    await q.add("a", { ok: true }, { jobId: "d-1", delay: 3_600_000 });
    await q.add("a", { ok: true }, { jobId: "d-2", delay: 3_600_000 });
  });

  it("clean removes only the jobs of the state it names", async () => {
    const { removed } = await caller.clean({ queue: name, state: "failed" });
    expect(removed.sort()).toEqual(["f-1", "f-2"]);
    const [summary] = (await caller.list({ search: name })).items;
    expect(summary!.counts).toMatchObject({ failed: 0, completed: 2, waiting: 1, delayed: 2 });
    expect(exporter.getFinishedSpans().some((s) => s.name === `clean ${name}` && s.attributes["app.queue.clean.state"] === "failed")).toBe(true);
  });

  it("clean keeps jobs younger than the grace", async () => {
    const { removed } = await caller.clean({ queue: name, state: "completed", graceMs: 3_600_000 });
    expect(removed).toEqual([]);
    expect((await queue(name).getJobCounts("completed")).completed).toBe(2);
  });

  it("promote moves a delayed job to waiting; remove deletes one job", async () => {
    expect((await caller.promote({ queue: name, ids: ["d-1"] }))[0]!.status).toBe("done");
    expect(await queue(name).getJobState("d-1")).toBe("waiting");
    expect((await caller.remove({ queue: name, ids: ["d-2"] }))[0]!.status).toBe("done");
    expect(await queue(name).getJob("d-2")).toBeUndefined();
    const counts = await queue(name).getJobCounts("waiting", "delayed", "completed");
    expect(counts).toMatchObject({ waiting: 2, delayed: 0, completed: 2 });
  });

  it("refuses a queue name with a colon and pages the jobs of a state", async () => {
    await expect(caller.jobs({ queue: "a:b" })).rejects.toThrow(/colon/);
    const first = await caller.jobs({ queue: name, state: "completed", pageSize: 1 });
    const second = await caller.jobs({ queue: name, state: "completed", pageSize: 1, page: 2 });
    expect(first.pages).toBe(2);
    expect(new Set([first.jobs[0]!.id, second.jobs[0]!.id])).toEqual(new Set(["c-1", "c-2"]));
  });
});

describe("discard a dead letter", () => {
  it("removes it from the DLQ with a `discard` span naming it; a second discard finds nothing", async () => {
    const id = `qtest-${runId}.payment/job-1`;
    const dlq = queue(DEAD_LETTER_QUEUE);
    await dlq.add("OrderCreated", { id }, { jobId: id });
    expect(await admin.discardDeadLetters([id])).toEqual([{ id, status: "done", message: null }]);
    expect(await dlq.getJob(id)).toBeUndefined();
    expect(await admin.discardDeadLetters([id])).toEqual([{ id, status: "not-found", message: null }]);
    const spans = exporter.getFinishedSpans().filter((s) => s.attributes["app.dlq.id"] === id);
    expect(spans.map((s) => [s.name, s.attributes["app.queue.action.outcome"]])).toEqual([
      ["discard dead-letters", "done"],
      ["discard dead-letters", "not-found"],
    ]);
    expect([...discardedIds(spans.map((s) => ({ attributes: s.attributes })))]).toEqual([id]);
  });
});
