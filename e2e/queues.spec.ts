import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { TEST_CONFIG } from "../scripts/launcher/test-config.ts";
import { trpcGet, trpcPost } from "./dashboard-api.ts";

/**
 * The Queues page against the running system's Redis. The poison message is a job on a probe
 * queue whose consumer (this test's own BullMQ worker) fails it while the fault is on: the
 * services' own consumers dead-letter a job the moment it fails for good (it leaves BullMQ's
 * failed set for the DLQ within milliseconds), so a failed job that stays failed long enough to
 * be retried by hand needs a consumer without dead-lettering.
 */
const runId = randomBytes(3).toString("hex");
const bull = { connection: { url: TEST_CONFIG.redisUrl, maxRetriesPerRequest: null }, prefix: TEST_CONFIG.redisPrefix };

type JobsAnswer = { jobs: { id: string; state: string }[]; total: number };

test("a poison message shows as failed, is retried from the Queues page once the fault is gone, and is processed", async ({ page, request }) => {
  test.setTimeout(120_000);
  const name = `e2e-queues-${runId}.probe`;
  const [product] = await trpcGet<{ id: string }[]>(request, "products.list");
  const order = await trpcPost<{ orderId: string; traceId: string }>(request, "orders.place", {
    productId: product!.id,
    quantity: 1,
    customerId: "e2e-queues",
    style: "hybrid",
  });
  let isPoisoned = true;
  const processed: string[] = [];
  const worker = new Worker(
    name,
    async (job: Job) => {
      if (isPoisoned) throw new Error(`poison message: job ${job.id} cannot be processed`);
      processed.push(String(job.id));
      return { handled: true };
    },
    bull,
  );
  const queue = new Queue(name, bull);
  try {
    // Sent in the order's trace, as bullmq-otel would (its W3C context in opts.telemetry.metadata).
    const metadata = JSON.stringify({ traceparent: `00-${order.traceId}-${randomBytes(8).toString("hex")}-01` });
    await queue.add("OrderCreated", { orderId: order.orderId }, { jobId: `poison-${runId}`, attempts: 1, telemetry: { metadata } });
    await expect
      .poll(async () => (await trpcGet<JobsAnswer>(request, "queues.jobs", { queue: name, state: "failed" })).total, { timeout: 30_000 })
      .toBe(1);

    await page.goto("/queues");
    await expect(page.locator('[data-testid="queue-row"][data-name="order-events.notification"]')).toBeVisible();
    await page.screenshot({ path: "artifacts/queues-list-light.png" });
    await page.goto(`/queues?search=${encodeURIComponent(name)}`);
    const row = page.locator(`[data-testid="queue-row"][data-name="${name}"]`);
    await expect(row.getByTestId("count-failed")).toHaveText("1");
    await row.getByTestId("count-failed").click();
    await expect(page).toHaveURL(/state=failed/);
    const job = page.locator(`[data-testid="job-row"][data-id="poison-${runId}"]`);
    await expect(job).toContainText("poison message");
    await expect(job).toContainText("1/1");
    await expect(job.getByTestId("job-trace-link")).toHaveAttribute("href", `/traces/${order.traceId}`);
    await job.click();
    await expect(page.getByTestId("job-payload")).toContainText(order.orderId);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "artifacts/queues-failed-dark.png" });

    // Like every mutation, a retry from another site is refused and changes nothing.
    const crossSite = await request.post("/api/trpc/queues.retry", { data: { queue: name, ids: [`poison-${runId}`] }, headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status()).toBe(403);
    expect((await trpcGet<JobsAnswer>(request, "queues.jobs", { queue: name, state: "failed" })).total).toBe(1);

    // The fault is removed; retry from the page, behind its confirmation.
    isPoisoned = false;
    await job.getByTestId("job-retry").click();
    await expect(page.getByTestId("confirm-dialog")).toBeVisible();
    await page.getByTestId("confirm-action").click();
    await expect(page.getByTestId("action-result")).toContainText("1 retried");
    await expect.poll(() => processed.length, { timeout: 30_000 }).toBe(1);
    await page.getByTestId("state-tab-completed").click();
    await expect(page.locator(`[data-testid="job-row"][data-id="poison-${runId}"]`)).toHaveAttribute("data-state", "completed");
    await expect(page.getByTestId("state-tab-failed")).toContainText("0");
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: "artifacts/queues-retried-light.png" });
    expect(processed).toEqual([`poison-${runId}`]);

    await page.goto(`/traces/${order.traceId}`);
    await expect(page.locator('[data-testid="span-row"]').first()).toBeVisible();
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

test("a thousand queues stay usable: paged, and a long name truncates with its full text on hover", async ({ page }) => {
  test.setTimeout(90_000);
  const redis = new Redis(TEST_CONFIG.redisUrl);
  const stem = `e2e-many-${runId}`;
  const names = Array.from({ length: 1000 }, (_, i) => `${stem}-${String(i).padStart(4, "0")}.a-subscriber-queue-with-a-rather-long-name-that-cannot-fit`);
  const keys = names.map((n) => `${TEST_CONFIG.redisPrefix}:${n}:meta`);
  try {
    // BullMQ's own marker of a queue (what the page lists by), without a thousand Queue objects here.
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.hset(key, "opts.maxLenEvents", "10000");
    await pipeline.exec();

    await page.goto(`/queues?search=${stem}`);
    await expect(page.getByText("1000 queues · live")).toBeVisible();
    await expect(page.getByTestId("queue-row")).toHaveCount(50);
    await expect(page.getByTestId("pager")).toContainText("Page 1 of 20");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByTestId("pager")).toContainText("Page 2 of 20");
    const first = page.getByTestId("queue-row").first();
    await expect(first).toHaveAttribute("data-name", names[50]!);
    const link = first.getByRole("link", { name: names[50]! });
    await expect(link).toHaveAttribute("title", names[50]!);
    expect(await link.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await page.screenshot({ path: "artifacts/queues-thousand.png" });
  } finally {
    await redis.del(...keys);
    await redis.quit();
  }
});

test("a poison message dead-lettered by the system can be discarded from the dead-letter page, behind a confirmation", async ({ page, request }) => {
  test.setTimeout(120_000);
  const queueName = "order-events.notification";
  await trpcPost(request, "chaos.reset");
  const experiment = await trpcPost<{ id: string }>(request, "chaos.start", { service: "notification", fault: "poison", queue: "order-events", rate: 1 });
  try {
    const [product] = await trpcGet<{ id: string }[]>(request, "products.list");
    const order = await trpcPost<{ orderId: string }>(request, "orders.place", { productId: product!.id, quantity: 1, customerId: "e2e-discard", style: "hybrid" });
    let id = "";
    await expect
      .poll(
        async () => {
          const { items } = await trpcGet<{ items: { id: string; payload: string }[] }>(request, "deadLetters.list", { queue: queueName, replayed: "no" });
          id = items.find((e) => e.payload.includes(order.orderId))?.id ?? "";
          return id;
        },
        { timeout: 60_000, message: `the dead letter of order ${order.orderId}` },
      )
      .not.toBe("");
    await trpcPost(request, "chaos.stop", { id: experiment.id });
    // The DLQ itself is a BullMQ queue: the dead letter waits there.
    const dlqJob = () => trpcGet<JobsAnswer>(request, "queues.jobs", { queue: "dead-letters", state: "waiting", pageSize: 200 });
    expect((await dlqJob()).jobs.map((j) => j.id)).toContain(id);

    await page.goto(`/dead-letters?queue=${queueName}&replayed=no`);
    const row = page.locator(`[data-testid="dead-letter-row"][data-id="${id}"]`);
    await row.getByTestId("discard-one").click();
    await expect(page.getByTestId("confirm-dialog")).toBeVisible();
    await page.screenshot({ path: "artifacts/dead-letters-discard-confirm.png" });
    await page.getByTestId("confirm-action").click();
    await expect(page.getByTestId("discard-result")).toContainText("1 discarded");
    await expect(row).toHaveCount(0, { timeout: 20_000 });
    expect((await dlqJob()).jobs.map((j) => j.id)).not.toContain(id);
    // Discarded, not replayed: a replay now finds nothing.
    const replay = await trpcPost<{ status: string }[]>(request, "deadLetters.replay", { ids: [id] });
    expect(replay.map((o) => o.status)).toEqual(["not-found"]);
  } finally {
    await trpcPost(request, "chaos.reset");
  }
});
