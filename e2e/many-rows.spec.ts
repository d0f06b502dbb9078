import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { TEST_CONFIG } from "../scripts/launcher/test-config.ts";
import { trpcGet } from "./dashboard-api.ts";

/**
 * Real data, at volume, sent over OTLP like any sender would: 10,000 dead letters of one queue
 * and 1,000 services. Both pages stay usable: a page of rows at a time, the total named, the pager
 * and the filters working, and the page never renders every row.
 */
const COLLECTOR = `http://127.0.0.1:${TEST_CONFIG.ports.collector}/v1/traces`;
const tag = randomBytes(3).toString("hex");
const QUEUE = `bulk-${tag}.payment`;
const SERVICE_PREFIX = `zz-bulk-${tag}-svc`;
const DEAD_LETTERS = 10_000;
const SERVICES = 1_000;

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
const REASONS = ["exhausted", "unrecoverable", "stalled"] as const;

/** Dead letter `i` of the batch, `i` ms after `baseNs` (so the highest `i` is the newest). */
function deadLetterSpan(i: number, traceId: string, baseNs: bigint) {
  const start = baseNs + BigInt(i) * 1_000_000n;
  return {
    traceId, spanId: hex(8), name: `dead-letter ${QUEUE}`, kind: 4,
    startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1_000_000n), status: { code: 2 },
    attributes: [
      str("messaging.system", "bullmq"), str("messaging.operation.name", "dead-letter"), str("messaging.destination.name", "dead-letters"),
      str("app.dlq.id", `${QUEUE}/job-${i}`), str("app.dlq.source_queue", QUEUE), str("app.dlq.reason", REASONS[i % 3]!),
      str("app.dlq.job_name", "OrderCreated"), str("app.dlq.original_job_id", `job-${i}`), int("app.dlq.attempts", 5), int("app.job.max_attempts", 5),
      str("app.dlq.error.message", `card processor unreachable (#${i})`), str("app.dlq.payload", JSON.stringify({ orderId: `o-${tag}-${i}` })),
    ],
  };
}

async function post(request: APIRequestContext, body: unknown): Promise<void> {
  const res = await request.post(COLLECTOR, { data: body, headers: { "content-type": "application/json" } });
  expect(res.status(), await res.text()).toBe(200);
}

/** 10,000 dead-letter spans in batches of 2,000, 100 to a trace. */
async function sendDeadLetters(request: APIRequestContext, baseNs: bigint): Promise<void> {
  for (let from = 0; from < DEAD_LETTERS; from += 2_000) {
    const spans = [];
    let traceId = hex(16);
    for (let i = from; i < from + 2_000; i += 1) {
      if (i % 100 === 0) traceId = hex(16);
      spans.push(deadLetterSpan(i, traceId, baseNs));
    }
    await post(request, { resourceSpans: [{ resource: { attributes: [str("service.name", "payment")] }, scopeSpans: [{ scope: { name: "e2e-many-rows" }, spans }] }] });
  }
}

/** 1,000 services, each one SERVER span (what the services page counts as a request served). */
async function sendServices(request: APIRequestContext, nowNs: bigint): Promise<void> {
  const resourceSpans = Array.from({ length: SERVICES }, (_, i) => ({
    resource: { attributes: [str("service.name", `${SERVICE_PREFIX}-${String(i).padStart(4, "0")}`), str("service.instance.id", `bulk-${i}`)] },
    scopeSpans: [{ scope: { name: "e2e-many-rows" }, spans: [{
      traceId: hex(16), spanId: hex(8), name: "GET /bulk", kind: 2,
      startTimeUnixNano: String(nowNs), endTimeUnixNano: String(nowNs + 2_000_000n), status: { code: 0 }, attributes: [],
    }] }],
  }));
  await post(request, { resourceSpans });
}

test("10,000 dead letters and 1,000 services: paged, counted, filterable", async ({ page, request }) => {
  test.setTimeout(180_000);
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  await sendDeadLetters(request, nowNs - BigInt(DEAD_LETTERS) * 1_000_000n);
  await sendServices(request, nowNs);
  await expect
    .poll(async () => (await trpcGet<{ total: number }>(request, "deadLetters.list", { queue: QUEUE, pageSize: 1 })).total, { timeout: 60_000 })
    .toBe(DEAD_LETTERS);

  // Dead letters: one page of 50 rows, the total named, newest first; the pager moves through the URL.
  await page.goto(`/dead-letters?queue=${QUEUE}`);
  const rows = page.getByTestId("dead-letter-row");
  await expect(page.getByTestId("dead-letter-count")).toContainText("1–50 of 10,000 matching");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toHaveAttribute("data-id", `${QUEUE}/job-9999`);
  await expect(page.getByTestId("pager")).toContainText("Page 1 of 200");
  await page.screenshot({ path: "artifacts/screens/dead-letters-10000.png" });
  await page.getByTestId("pager").getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/[?&]page=2(&|$)/);
  await expect(rows.first()).toHaveAttribute("data-id", `${QUEUE}/job-9949`);
  await expect(page.getByTestId("dead-letter-count")).toContainText("51–100 of 10,000 matching");

  // A filter goes back to page 1 and counts across every page; the URL keeps it (reload, link).
  await page.getByLabel("Reason").selectOption("stalled");
  await expect(page.getByTestId("dead-letter-count")).toContainText("1–50 of 3,333 matching");
  await expect(page).not.toHaveURL(/[?&]page=/);
  await expect(rows.first()).toHaveAttribute("data-id", `${QUEUE}/job-9998`);
  await page.goto(`/dead-letters?queue=${QUEUE}&reason=stalled&page=67`);
  await expect(page.getByTestId("dead-letter-count")).toContainText("3,301–3,333 of 3,333 matching");
  await expect(rows).toHaveCount(33);
  await expect(rows.last()).toHaveAttribute("data-id", `${QUEUE}/job-2`);
  await expect(page.getByTestId("pager").getByRole("button", { name: "Next" })).toBeDisabled();

  // Services: 1,000 senders, a page of 25 at a time, found by name.
  await page.goto("/services");
  await expect(page.getByTestId("services-count")).toContainText(/\d/);
  const groups = page.getByTestId("service-group");
  expect(await groups.count()).toBeLessThanOrEqual(25);
  await page.getByTestId("services-search").fill(SERVICE_PREFIX);
  await expect(page.getByTestId("services-count")).toContainText(`1,000 of`);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${SERVICE_PREFIX}`));
  await expect(groups).toHaveCount(25);
  await expect(groups.first()).toHaveAttribute("data-service", `${SERVICE_PREFIX}-0000`);
  await expect(page.getByTestId("pager")).toContainText("Page 1 of 40");
  await page.getByTestId("pager").getByRole("button", { name: "Next" }).click();
  await expect(groups.first()).toHaveAttribute("data-service", `${SERVICE_PREFIX}-0025`);
  await page.screenshot({ path: "artifacts/screens/services-1000.png" });
  await page.getByTestId("services-search").fill(`${SERVICE_PREFIX}-0742`);
  await expect(groups).toHaveCount(1);
  await expect(groups.first()).toHaveAttribute("data-service", `${SERVICE_PREFIX}-0742`);
  await expect(page.getByTestId("pager")).toHaveCount(0);
});
