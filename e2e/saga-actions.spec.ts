import { expect, test } from "@playwright/test";
import { failServiceFromPanel, trpcGet, trpcPost } from "./dashboard-api.ts";

type Product = { id: string; stock: number };

/**
 * Payment failing 100 % (chaos panel) -> a saga order's charge gets no answer and waits for its
 * next attempt: the saga page shows the step, the attempt and when it is tried again. Retry now
 * tries it at once; Cancel (confirmed) stops the saga going forward: it compensates (the refund
 * waits for payment), and once the fault ends it is COMPENSATED, with the undo in reverse order
 * and the person's requests on the timeline.
 */
test("a saga stuck on a payment outage is cancelled from the saga page and ends COMPENSATED", async ({ page, request }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await trpcPost(request, "chaos.reset");
  try {
    await failServiceFromPanel(page, "payment");
    const products = await trpcGet<Product[]>(request, "products.list");
    const product = products.find((p) => p.stock > 0)!;
    const order = await trpcPost<{ orderId: string }>(request, "orders.place", { productId: product.id, quantity: 1, customerId: "e2e-saga-actions", style: "saga" });
    await expect.poll(async () => (await trpcGet<{ sagaId: string | null }>(request, "sagas.ofOrder", { orderId: order.orderId })).sagaId, { timeout: 30_000 }).not.toBeNull();
    const { sagaId } = await trpcGet<{ sagaId: string }>(request, "sagas.ofOrder", { orderId: order.orderId });

    await page.goto(`/sagas/${sagaId}`);
    const pending = page.getByTestId("saga-pending");
    await expect(pending).toContainText("chargePayment got no answer on attempt", { timeout: 30_000 });
    await expect(pending).toContainText(/Attempt \d+ (in \d+ s|is due)/);
    await expect(pending).toContainText("Gives up and compensates at");
    await expect(page.locator('[data-testid="saga-step"][data-step="chargePayment"]')).toHaveAttribute("data-state", "waiting");
    await expect(page.getByTestId("saga-status")).toHaveText("running");
    await page.screenshot({ path: "artifacts/screens/saga-waiting.png" });

    // Retry now: the attempt after the one shown runs (at once, or by its schedule if it was already starting).
    const attempt = Number(await page.getByTestId("saga-pending-attempt").textContent());
    await page.getByTestId("saga-retry").click();
    await expect(page.getByTestId("saga-action-result").or(page.getByTestId("saga-action-error"))).toBeVisible();
    await expect.poll(async () => Number(await page.getByTestId("saga-pending-attempt").textContent()), { timeout: 20_000 }).toBeGreaterThan(attempt);

    // Cancel asks first, then the saga compensates; the refund waits while payment still fails.
    await page.getByTestId("saga-cancel").click();
    const dialog = page.getByRole("dialog", { name: /Cancel the saga of order/ });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("undoes every step that took effect, latest first");
    await page.screenshot({ path: "artifacts/screens/saga-cancel-confirm.png" });
    await dialog.getByRole("button", { name: "Cancel saga" }).click();
    await expect(page.getByTestId("saga-action-result")).toContainText("Cancel requested");
    await expect(page.getByTestId("saga-status")).toHaveText("compensating", { timeout: 20_000 });
    await expect(page.getByTestId("marker-cancel")).toHaveCount(1);

    // The outage ends: the refund goes through, the stock is released, the order is COMPENSATED.
    await trpcPost(request, "chaos.reset");
    await expect(page.getByTestId("saga-status")).toHaveText("compensated", { timeout: 60_000 });
    await expect(page.getByTestId("compensation-order")).toContainText("chargePayment");
    await expect(page.getByTestId("compensation-order")).toContainText("reverse plan order");
    await expect(page.getByText(/cancelled by a person while chargePayment waited/).first()).toBeVisible();
    await expect(page.getByTestId("saga-actions")).toHaveCount(0);
    await page.screenshot({ path: "artifacts/screens/saga-cancelled-light.png" });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "artifacts/screens/saga-cancelled-dark.png" });
    await expect.poll(async () => (await trpcGet<{ status: string }>(request, "orders.get", { orderId: order.orderId })).status, { timeout: 30_000 }).toBe("COMPENSATED");
    expect(errors).toEqual([]);
  } finally {
    await trpcPost(request, "chaos.reset");
  }
});
