import { expect, test, type APIRequestContext } from "@playwright/test";
import { failServiceFromPanel, trpcGet, trpcPost } from "./dashboard-api.ts";

/**
 * Payment failing 100 % (chaos panel) -> a sync order placed from the dashboard answers at once
 * with payment's fallback ("payment delayed, we will confirm") and waits; the fault removed ->
 * the order service's recovery sweeper runs the flow again and the order ends on its own; its
 * trace shows the `order.recover` span that finished it.
 */
type Span = { spanId: string; name: string; attributes: Record<string, unknown> };

async function traceSpans(request: APIRequestContext, traceId: string): Promise<Span[]> {
  return (await trpcGet<{ spans: Span[] }>(request, "traces.get", { traceId, view: "spans" })).spans;
}

test("a payment outage delays an order instead of failing it; it ends on its own once payment is back", async ({ page, request }) => {
  test.setTimeout(180_000);
  await trpcPost(request, "chaos.reset");

  await failServiceFromPanel(page, "payment");

  await page.goto("/orders");
  await expect(page.getByLabel("Product").locator("option")).not.toHaveCount(0);
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Customer").fill("e2e-recovery");
  await page.getByLabel("Style").selectOption("sync");
  await page.getByRole("button", { name: "Place order" }).click();
  const result = page.getByTestId("order-result");
  await expect(result.getByTestId("order-status")).toHaveText("PENDING");
  await expect(result.getByTestId("order-reason")).toContainText("payment delayed, we will confirm");
  await expect(page.getByTestId("order-error")).toHaveCount(0);
  const row = page.getByTestId("order-row").first();
  await expect(row.getByTestId("order-flag")).toContainText("recovering");
  await page.screenshot({ path: "artifacts/screens/order-delayed.png", fullPage: true });

  // The fault ends; nobody touches the order: the card follows it to its end.
  await trpcPost(request, "chaos.reset");
  await expect(result.getByTestId("order-status")).toHaveText(/COMPLETED|COMPENSATED/, { timeout: 90_000 });
  await expect(result.getByTestId("order-answered")).toContainText("PENDING");
  await page.screenshot({ path: "artifacts/screens/order-recovered.png", fullPage: true });

  // The order's own trace explains it: the sweeper's decision is a span in it.
  const href = await result.getByTestId("order-trace-link").getAttribute("href");
  const traceId = href?.match(/\/traces\/([0-9a-f]{32})$/)?.[1];
  expect(traceId, `trace link ${href}`).toBeTruthy();
  let recover: Span | undefined;
  await expect(async () => {
    const spans = await traceSpans(request, traceId!);
    recover = spans.find((s) => s.name === "order.recover" && s.attributes["app.recovery.action"] === "resume" && s.attributes["app.order.status"] !== "PENDING");
    expect(recover).toBeTruthy();
  }).toPass({ timeout: 30_000 });
  await page.goto(`/traces/${traceId}?span=${recover!.spanId}`);
  const detail = page.getByTestId("span-detail");
  await expect(detail).toContainText("order.recover");
  await expect(detail).toContainText("app.recovery.action");
  await expect(detail).toContainText("resume");
  await page.screenshot({ path: "artifacts/screens/order-recover-span.png" });
});
