import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { trpcGet, trpcPost } from "./dashboard-api.ts";

/**
 * Poison message -> dead-lettered after the configured attempts -> fault removed -> replayed from
 * the dashboard -> processed, in a new trace linked to the original. The fault is the chaos
 * panel's poison-message experiment on notification's consumer of `order-events`.
 */
const QUEUE = "order-events.notification";

type StoredLink = { traceId: string; spanId: string; attributes: Record<string, unknown> };
type StoredSpan = { name: string; spanId: string; parentSpanId: string | null; links: StoredLink[]; status: { code: string } };

type Entry = { id: string; payload: string };

/** Waits (bounded) until the DLQ holds the message of `orderId`, then opens its row on the page. */
async function openDeadLetterOf(page: Page, request: APIRequestContext, orderId: string) {
  let id = "";
  await expect
    .poll(
      async () => {
        const { items } = await trpcGet<{ items: Entry[] }>(request, "deadLetters.list", { queue: QUEUE, replayed: "no" });
        id = items.find((e) => e.payload.includes(orderId))?.id ?? "";
        return id;
      },
      { timeout: 60_000, message: `the dead letter of order ${orderId}` },
    )
    .not.toBe("");
  await page.goto(`/dead-letters?queue=${QUEUE}&replayed=no`);
  const row = page.locator(`[data-testid="dead-letter-row"][data-id="${id}"]`);
  await row.click();
  await expect(page.getByTestId("dead-letter-payload")).toContainText(orderId);
  return row;
}

test("a poison message is dead-lettered, replayed from the dashboard once the fault is gone, and processed", async ({ page, request }) => {
  test.setTimeout(150_000);
  await trpcPost(request, "chaos.reset");
  const experiment = await trpcPost<{ id: string }>(request, "chaos.start", { service: "notification", fault: "poison", queue: "order-events", rate: 1 });

  const [product] = await trpcGet<{ id: string }[]>(request, "products.list");
  const order = await trpcPost<{ orderId: string; traceId: string }>(request, "orders.place", {
    productId: product!.id,
    quantity: 1,
    customerId: "e2e-dlq",
    style: "hybrid",
  });

  // 5 attempts with backoff (0.5 + 1 + 2 + 4 s), then the dead-letter span reaches the page.
  const row = await openDeadLetterOf(page, request, order.orderId);
  await expect(row).toContainText("exhausted");
  await expect(row).toContainText("5/5");
  const detail = page.getByTestId("dead-letter-detail");
  await expect(detail).toContainText(`chaos experiment ${experiment.id}`);
  const deadLetterId = (await row.getAttribute("data-id"))!;
  const originalHref = (await detail.getByTestId("original-trace-link").getAttribute("href"))!;
  const originalTraceId = originalHref.match(/\/traces\/([0-9a-f]{32})/)![1]!;
  expect(originalTraceId).toBe(order.traceId);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "artifacts/dead-letters-e2e-dark.png" });

  // Fault fixed, then replay from the page.
  await trpcPost(request, "chaos.stop", { id: experiment.id });
  await page.goto(`/dead-letters?queue=${QUEUE}&open=${encodeURIComponent(deadLetterId)}`);
  const target = page.locator(`[data-testid="dead-letter-row"][data-id="${deadLetterId}"]`);
  await target.getByTestId("replay-one").click();
  const status = target.getByTestId("replay-status");
  await expect(status).toHaveAttribute("data-status", "processed", { timeout: 60_000 });
  await expect(page.getByTestId("replay-result")).toContainText("1 replayed");
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: "artifacts/dead-letters-e2e-light.png" });

  // A second replay (another tab, a double click that got through) changes nothing.
  const again = await trpcPost<{ status: string }[]>(request, "deadLetters.replay", { ids: [deadLetterId] });
  expect(again.map((o) => o.status)).toEqual(["already-replayed"]);

  // The replay's trace: root `replay <queue>` linked to the original trace, the job processed in it.
  const replayHref = (await page.getByTestId("replay-trace-link").getAttribute("href"))!;
  const replayTraceId = replayHref.match(/\/traces\/([0-9a-f]{32})/)![1]!;
  expect(replayTraceId).not.toBe(originalTraceId);
  const { spans } = await trpcGet<{ spans: StoredSpan[] }>(request, "traces.get", { traceId: replayTraceId, view: "spans" });
  const root = spans.find((s) => s.parentSpanId === null)!;
  expect(root.name).toBe(`replay ${QUEUE}`);
  expect(root.links.map((l) => l.traceId)).toContain(originalTraceId);
  expect(root.links.map((l) => l.attributes["app.link.type"]).sort()).toEqual(["dead-letter-origin", "dead-lettering"]);
  expect(spans.some((s) => s.name === `process ${QUEUE}` && s.parentSpanId === root.spanId && s.status.code !== "ERROR")).toBe(true);

  await page.goto(replayHref);
  await expect(page.locator('[data-testid="span-row"]').first()).toBeVisible();
  await page.screenshot({ path: "artifacts/dead-letters-replay-trace.png" });
});
