import { expect, test, type Page } from "@playwright/test";
import { Attr } from "../services/contracts/semconv.ts";

/** Places one order through the Orders form; returns its order id and the trace id its result links to. */
async function placeOrder(page: Page): Promise<{ orderId: string; traceId: string }> {
  await page.goto("/orders");
  await expect(page.getByLabel("Product").locator("option")).not.toHaveCount(0);
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Customer").fill("e2e-search");
  await page.getByLabel("Style").selectOption("saga");
  await page.getByRole("button", { name: "Place order" }).click();
  const result = page.getByTestId("order-result");
  await expect(result.getByTestId("order-id")).toHaveText(/^[0-9a-f-]{36}$/);
  const orderId = (await result.getByTestId("order-id").textContent())!.trim();
  const href = await result.getByTestId("order-trace-link").getAttribute("href");
  const traceId = href?.match(/\/traces\/([0-9a-f]{32})$/)?.[1];
  expect(traceId, `trace link ${href}`).toBeTruthy();
  return { orderId, traceId: traceId! };
}

test("an order id typed into the trace search finds the order's trace, which opens", async ({ page }) => {
  const { orderId, traceId } = await placeOrder(page);
  // Another order, so the search has something to leave out.
  const other = await placeOrder(page);

  await page.goto("/traces");
  const search = page.getByLabel("Search traces");
  await search.fill(orderId);
  // The search lives in the URL, and the list narrows to the one trace carrying that order id.
  await expect(page).toHaveURL(new RegExp(`q=${orderId}`));
  const rows = page.getByTestId("trace-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator(`a[href="/traces/${traceId}"]`)).toBeVisible();
  await expect(page.locator(`a[href="/traces/${other.traceId}"]`)).toHaveCount(0);
  await page.screenshot({ path: "artifacts/trace-search.png" });

  // Bad input says what is wrong under the box and keeps the last good results.
  await search.fill(`${orderId} ${Attr.QUANTITY}>many`);
  await expect(page.getByTestId("search-error")).toContainText('">" compares numbers: "many"');
  await expect(rows).toHaveCount(1);
  await page.screenshot({ path: "artifacts/trace-search-error.png" });

  // The URL alone reproduces the search (a reload, a shared link), then the row opens the trace.
  await search.fill(orderId);
  await page.reload();
  await expect(search).toHaveValue(orderId);
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
  await expect(page.locator('[data-testid="span-row"]').first()).toBeVisible();
  await page.screenshot({ path: "artifacts/trace-search-opened.png" });
});
