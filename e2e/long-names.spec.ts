import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { TEST_CONFIG } from "../scripts/launcher/test-config.ts";

/**
 * Any OTLP sender names its own service, queue and breaker. One span batch with 300-character
 * names must leave every page's layout alone: names truncate (full text on hover), selects keep a
 * bounded width, and controls at the end of a row stay on screen.
 */
const COLLECTOR = `http://127.0.0.1:${TEST_CONFIG.ports.collector}/v1/traces`;
const tag = randomBytes(3).toString("hex");
const LONG = `svc-${tag}-${"very-long-service-name-".repeat(14)}`.slice(0, 300);
const QUEUE = `queue-${tag}-${"a-queue-name-that-never-ends-".repeat(11)}`.slice(0, 300);
const BREAKER = `dep-${tag}-${"a-dependency-with-a-long-name-".repeat(11)}`.slice(0, 300);

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
const bool = (key: string, value: boolean) => ({ key, value: { boolValue: value } });

/** A SERVER root, a breaker-guarded CLIENT call with a transition under it, and a dead-letter span. */
function otlpBody(nowNs: bigint) {
  const traceId = hex(16);
  const root = hex(8);
  const call = hex(8);
  const span = (spanId: string, name: string, kind: number, offsetMs: number, attributes: unknown[], parentSpanId?: string, isError = false) => ({
    traceId, spanId, parentSpanId, name, kind,
    startTimeUnixNano: String(nowNs + BigInt(offsetMs) * 1_000_000n),
    endTimeUnixNano: String(nowNs + BigInt(offsetMs + 5) * 1_000_000n),
    attributes,
    status: { code: isError ? 2 : 0 },
  });
  return {
    resourceSpans: [{
      resource: { attributes: [str("service.name", LONG)] },
      scopeSpans: [{
        scope: { name: "e2e-long-names" },
        spans: [
          span(root, `GET /${tag}`, 2, 0, []),
          span(call, `${BREAKER}.call`, 3, 1, [str("app.breaker.name", BREAKER), str("app.breaker.state", "closed"), int("app.retry.attempt", 1)], root, true),
          span(hex(8), `breaker ${BREAKER} closed→open`, 1, 2, [
            str("app.breaker.name", BREAKER), str("app.breaker.from_state", "closed"), str("app.breaker.to_state", "open"),
            str("app.breaker.state", "open"), str("app.breaker.reason", `failure rate 100% >= 50% over 1 calls to ${BREAKER}`),
          ], call),
          span(hex(8), `${QUEUE} dead-letter`, 4, 3, [
            str("messaging.operation.name", "dead-letter"), str("app.dlq.id", `${QUEUE}/job-${tag}`), str("app.dlq.source_queue", QUEUE),
            str("app.dlq.job_name", `job-${LONG}`), str("app.dlq.original_job_id", `job-${tag}`), str("app.dlq.reason", "exhausted"),
            int("app.dlq.attempts", 3), str("app.dlq.error.message", `boom in ${LONG}`), str("app.dlq.payload", "{}"), bool("app.dlq.payload_truncated", false),
          ], root, true),
        ],
      }],
    }],
  };
}

async function sendLongNames(request: APIRequestContext): Promise<void> {
  const res = await request.post(COLLECTOR, { data: otlpBody(BigInt(Date.now()) * 1_000_000n), headers: { "content-type": "application/json" } });
  expect(res.status(), await res.text()).toBe(200);
}

/** The element's box lies inside the viewport horizontally. */
async function expectWithinViewport(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, "element has a box").not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

/** The page itself does not scroll sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("300-character service, queue and breaker names truncate and keep every layout", async ({ page, request }) => {
  await sendLongNames(request);

  // Trace list: the service select stays narrow with the long option in it; the row's chip truncates.
  await page.goto("/traces");
  const select = page.getByLabel("Service");
  await expect(select.locator(`option[value="${LONG}"]`)).toHaveCount(1, { timeout: 30_000 });
  await expect(select.locator(`option[value="${LONG}"]`)).toHaveAttribute("title", LONG);
  expect((await select.boundingBox())!.width).toBeLessThanOrEqual(240);
  const chip = page.locator(`span[title="${LONG}"]`).first();
  await expect(chip).toBeVisible();
  expect((await chip.boundingBox())!.width).toBeLessThanOrEqual(260);
  // The columns after the services stay on screen (the page body clips, so measure them).
  await expectWithinViewport(page, page.getByRole("columnheader", { name: "Started" }));
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "artifacts/screens/long-names-traces.png" });
  // Filtering on it works: the router takes any name the collector stored.
  await select.selectOption(LONG);
  await expect(page.getByTestId("trace-row").first()).toBeVisible();
  await expect(page.getByText("Could not load traces")).toHaveCount(0);

  // Breakers: the card stays in its column; names truncate with the full text on hover.
  await page.goto("/breakers?minutes=5");
  const card = page.getByTestId(`breaker-${LONG}→${BREAKER}`);
  await expect(card).toBeVisible();
  await expect(card.locator(`[title="${BREAKER}"]`)).toBeVisible();
  await expectWithinViewport(page, card);
  await expectWithinViewport(page, card.getByTestId("breaker-state"));
  const cards = page.getByTestId("breaker-cards");
  const gridBox = (await cards.boundingBox())!;
  const cardBox = (await card.boundingBox())!;
  expect(cardBox.x + cardBox.width).toBeLessThanOrEqual(gridBox.x + gridBox.width);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "artifacts/screens/long-names-breakers.png", fullPage: true });

  // Dead letters: the Replay button of the long-named row stays on screen; the queue select is bounded.
  await page.goto("/dead-letters");
  const row = page.locator(`[data-testid="dead-letter-row"][data-id="${QUEUE}/job-${tag}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row.locator(`[title="${QUEUE}"]`)).toBeVisible();
  await expectWithinViewport(page, row.getByRole("button", { name: "Replay" }));
  expect((await page.getByLabel("Queue", { exact: true }).boundingBox())!.width).toBeLessThanOrEqual(240);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "artifacts/screens/long-names-dead-letters.png" });

  // Services: the long service's group header chip truncates too.
  await page.goto("/services");
  const group = page.locator(`[data-testid="service-group"][data-service="${LONG}"]`);
  await expect(group).toBeVisible({ timeout: 30_000 });
  await expectWithinViewport(page, group.getByRole("link", { name: "Traces →" }));
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "artifacts/screens/long-names-services.png" });
});
