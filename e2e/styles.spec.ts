import { expect, test, type Page } from "@playwright/test";

/** Plenty of stock (500), so every style and the oversize parcel reach payment and shipping. */
const PRODUCT = "sku-filter";

type Placed = { orderId: string; status: string };

/** Places one order through the form in `style` and returns what the result panel shows. */
async function placeOrder(page: Page, style: string, quantity = 1, customer = "e2e-styles"): Promise<Placed> {
  await page.goto("/orders");
  await expect(page.getByLabel("Product").locator(`option[value="${PRODUCT}"]`)).toHaveCount(1);
  await page.getByLabel("Product").selectOption(PRODUCT);
  await page.getByLabel("Quantity").fill(String(quantity));
  await page.getByLabel("Customer").fill(customer);
  await page.getByLabel("Style").selectOption(style);
  await page.getByRole("button", { name: "Place order" }).click();
  const result = page.getByTestId("order-result");
  await expect(result).toBeVisible();
  await expect(result).toContainText(style);
  const orderId = (await result.getByTestId("order-id").textContent())!.trim();
  return { orderId, status: (await result.locator("[data-status]").first().getAttribute("data-status")) ?? "" };
}

/** Opens the saga of the order just placed (result panel link) and waits for its terminal status. */
async function openSaga(page: Page, status: "completed" | "compensated") {
  await page.getByTestId("order-result").getByTestId("order-saga-link").click();
  await expect(page).toHaveURL(/\/sagas\/[^/]+$/);
  await expect(page.getByTestId("saga-status")).toHaveAttribute("data-status", status);
  await expect(page.getByTestId("saga-step")).toHaveCount(4);
}

test("an order in each style opens as a saga or a flow with its steps and arrows", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await placeOrder(page, "saga");
  await openSaga(page, "completed");
  await expect(page.locator('[data-testid="saga-step"][data-state="succeeded"]')).toHaveCount(4);
  await expect(page.getByTestId("execution-bar")).toHaveCount(4);
  await page.screenshot({ path: "artifacts/saga-completed-light.png" });

  const expected: Record<string, string> = { sync: "call", choreography: "message", hybrid: "message" };
  for (const [style, kind] of Object.entries(expected)) {
    await placeOrder(page, style);
    await page.getByTestId("order-result").getByTestId("order-flow-link").click();
    await expect(page).toHaveURL(/\/traces\/[0-9a-f]{32}\/flow$/);
    // Lanes for order and at least one other service; an arrow of the style's kind between them.
    await expect(page.getByTestId("flow-lane").first()).toBeVisible();
    expect(await page.getByTestId("flow-lane").count()).toBeGreaterThanOrEqual(2);
    await expect(page.locator(`[data-testid="flow-step"][data-kind="${kind}"]`).first()).toBeVisible();
    await page.screenshot({ path: `artifacts/flow-${style}-light.png` });
  }

  // Clicking an arrow opens its span in the trace view.
  const step = page.locator('[data-testid="flow-step"]').nth(1);
  await step.click();
  await expect(page).toHaveURL(/\/traces\/[0-9a-f]{32}\?span=[0-9a-f]{16}$/);
  await expect(page.getByTestId("span-detail")).toBeVisible();
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goBack();
  await expect(page.getByTestId("flow-diagram")).toBeVisible();
  await page.screenshot({ path: "artifacts/flow-hybrid-dark.png" });
});

test("a parcel shipping refuses after payment is compensated in reverse order: refund, then release", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await placeOrder(page, "saga", 21);
  await openSaga(page, "compensated");
  const steps = page.getByTestId("saga-step");
  await expect(steps.filter({ hasText: "createShipment" })).toHaveAttribute("data-state", "failed");
  await expect(steps.filter({ hasText: "chargePayment" })).toHaveAttribute("data-state", "compensated");
  await expect(steps.filter({ hasText: "reserveStock" })).toHaveAttribute("data-state", "compensated");
  const order = page.getByTestId("compensation-order");
  await expect(order).toContainText("↩1 chargePayment");
  await expect(order).toContainText("↩2 reserveStock");
  await expect(order).toContainText("reverse plan order");
  await expect(page.getByTestId("compensation-bar")).toHaveCount(2);
  await page.screenshot({ path: "artifacts/saga-compensated-dark.png" });
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: "artifacts/saga-compensated-light.png" });

  // A declined payment: nothing after reserveStock took effect, so only the release runs.
  await placeOrder(page, "saga", 1, "customer-broke");
  await openSaga(page, "compensated");
  await expect(steps.filter({ hasText: "reserveStock" })).toHaveAttribute("data-state", "compensated");
  await expect(page.locator('[data-testid="saga-step"][data-state="failed"]')).toHaveCount(1);
  await expect(page.getByTestId("compensation-order")).toContainText("↩1 reserveStock");

  // The saga list shows both sagas with their terminal status; its filter lives in the URL.
  await page.goto("/sagas?status=compensated");
  await expect(page.getByTestId("saga-row").first()).toBeVisible();
  await expect(page.getByLabel("Status")).toHaveValue("compensated");
  await page.screenshot({ path: "artifacts/sagas-light.png" });
});

test("placing the same order in every style opens the comparison of all four", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/orders");
  await expect(page.getByLabel("Product").locator(`option[value="${PRODUCT}"]`)).toHaveCount(1);
  await page.getByLabel("Product").selectOption(PRODUCT);
  await page.getByRole("button", { name: "Place in every style & compare" }).click();
  await expect(page).toHaveURL(/\/compare\?orders=([0-9a-f-]{36},){3}[0-9a-f-]{36}$/);
  const columns = page.getByTestId("compare-column");
  await expect(columns).toHaveCount(4);
  for (const style of ["sync", "choreography", "saga", "hybrid"]) await expect(page.locator(`[data-testid="compare-column"][data-style="${style}"]`)).toHaveCount(1);
  // Choreography and saga finish after placing; the view follows them to a terminal status.
  await expect(page.locator('[data-metric="Outcome"]').filter({ hasText: "PENDING" })).toHaveCount(0);
  await expect(page.locator('[data-metric="Outcome"]').filter({ hasText: "COMPLETED" })).toHaveCount(4);
  await expect(page.getByTestId("compare-flow-link")).toHaveCount(4);
  await page.screenshot({ path: "artifacts/compare-light.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "artifacts/compare-dark.png", fullPage: true });
});
