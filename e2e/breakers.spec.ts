import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { failServiceFromPanel, trpcGet, trpcPost } from "./dashboard-api.ts";

/**
 * Payment failing 100 % (set from the chaos panel) -> sync orders trip order's breaker for
 * payment -> the breakers page shows it OPEN with its transition linked to the causing trace ->
 * fault reset from the panel -> after the open duration, trial calls close it again.
 */

/**
 * A sync-style order: order calls inventory, payment and shipping over tRPC, in sequence. While
 * payment fails the order answers PENDING with payment's fallback (the recovery sweeper finishes
 * it later); only "the dashboard answered" is checked here (fault-recovery.spec.ts checks more).
 */
async function placeSyncOrder(request: APIRequestContext, productId: string): Promise<void> {
  const res = await request.post("/api/trpc/orders.place", { data: { productId, quantity: 1, customerId: "e2e-breakers", style: "sync" } });
  expect(res.status(), await res.text()).toBeLessThan(504);
}

type Card = { key: string; state: string };

/** Screenshots of the current URL in both themes, for people to look at (artifacts/screens/). */
async function captureBothThemes(page: Page, name: string, ready: () => Promise<void>): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.reload();
    await ready();
    await page.screenshot({ path: `artifacts/screens/${name}-${colorScheme}.png`, fullPage: true });
  }
}

test("payment failing opens order's breaker; after the fault it closes again", async ({ page, request }) => {
  test.setTimeout(300_000);
  await trpcPost(request, "chaos.reset");
  const [product] = await trpcGet<{ id: string }[]>(request, "products.list");

  // Inject the fault as a user would.
  await failServiceFromPanel(page, "payment");

  // Enough failing orders to pass the breaker's minimum number of calls.
  await expect
    .poll(
      async () => {
        await placeSyncOrder(request, product!.id);
        const { breakers } = await trpcGet<{ breakers: Card[] }>(request, "breakers.list", { minutes: 5 });
        return breakers.find((b) => b.key === "order→payment")?.state;
      },
      { timeout: 60_000, intervals: [500], message: "order's breaker for payment to open" },
    )
    .toBe("open");

  await page.goto("/breakers?minutes=5");
  const card = page.getByTestId("breaker-order→payment");
  await expect(card.getByTestId("breaker-state")).toHaveText("OPEN");
  await expect(card).toContainText(/failure rate \d+% >= 50%/);
  await expect(card.getByTestId("state-strip")).toBeVisible();
  // Every figure names its window; the transitions say which of the window's they are.
  for (const figure of await card.getByTestId("figure").all()) await expect(figure).toContainText("last 5 min");
  // ...and the rates name the breaker's own window too (app.breaker.window_ms, default 10 s).
  await expect(card.getByTestId("breaker-window").first()).toHaveText("breaker window 10 s");
  await expect(card.getByTestId("transitions-range")).toContainText(/Transitions 1–\d+ of \d+ in the last 5 min/);
  // The transition links to its span, in the trace of the call that tripped the breaker.
  const traceLink = card.getByTestId("transition").filter({ hasText: "CLOSED → OPEN" }).last().getByRole("link", { name: /^[0-9a-f]{8}$/ });
  await expect(traceLink).toHaveAttribute("href", /^\/traces\/[0-9a-f]{32}\?span=[0-9a-f]{16}$/);

  await captureBothThemes(page, "breakers-open", () => expect(card.getByTestId("breaker-state")).toHaveText("OPEN"));
  // Following it opens the trace with that span selected and its details shown.
  await traceLink.click();
  await expect(page).toHaveURL(/\/traces\/[0-9a-f]{32}\?span=[0-9a-f]{16}$/);
  await expect(page.getByTestId("span-detail-name")).toHaveText("breaker payment closed→open");
  await page.screenshot({ path: "artifacts/screens/breaker-transition-span.png" });
  await page.goto("/chaos");
  await captureBothThemes(page, "chaos-active", () => expect(page.getByTestId("active-experiments")).toContainText("payment"));

  // Remove the fault from the panel, then let trial calls through.
  await page.goto("/chaos");
  await page.getByRole("button", { name: "Reset all faults" }).click();
  await expect(page.getByTestId("no-active-experiments")).toBeVisible();
  await expect
    .poll(
      async () => {
        await placeSyncOrder(request, product!.id);
        const { breakers } = await trpcGet<{ breakers: Card[] }>(request, "breakers.list", { minutes: 5 });
        return breakers.find((b) => b.key === "order→payment")?.state;
      },
      { timeout: 60_000, intervals: [1_000], message: "order's breaker for payment to close again" },
    )
    .toBe("closed");
  await page.goto("/breakers?minutes=5");
  await expect(card.getByTestId("breaker-state")).toHaveText("CLOSED");
  await expect(card).toContainText("HALF-OPEN → CLOSED");
  await captureBothThemes(page, "breakers-recovered", () => expect(card.getByTestId("breaker-state")).toHaveText("CLOSED"));
});
