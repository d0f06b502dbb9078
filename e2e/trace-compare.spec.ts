import { expect, test, type Page } from "@playwright/test";
import { trpcGet, trpcPost } from "./dashboard-api.ts";

async function shoot(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `artifacts/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("tick two traces, compare them side by side with a structural diff, then zoom the flame graph", async ({ page, request }) => {
  // Two styles of the same order: sync (calls only) and hybrid (calls, then OrderCreated fanned out).
  const [product] = await trpcGet<{ id: string }[]>(request, "products.list");
  const place = (style: string) => trpcPost<{ traceId: string }>(request, "orders.place", { productId: product!.id, quantity: 1, customerId: "e2e-compare", style });
  const sync = await place("sync");
  const hybrid = await place("hybrid");
  expect(sync.traceId).toMatch(/^[0-9a-f]{32}$/);

  // The Orders page labels its figure "Order time" and says what it is.
  await page.goto("/orders");
  await expect(page.getByRole("columnheader", { name: "Order time" })).toBeVisible();

  await page.goto("/traces");
  const rowOf = (traceId: string) => page.getByTestId("trace-row").filter({ has: page.locator(`a[href="/traces/${traceId}"]`) });
  const compare = page.getByTestId("compare-traces");
  await expect(rowOf(sync.traceId)).toBeVisible({ timeout: 20_000 });
  await expect(rowOf(hybrid.traceId)).toBeVisible({ timeout: 20_000 });
  await expect(compare).toBeDisabled();
  await rowOf(sync.traceId).getByTestId("trace-select").check();
  await expect(compare).toBeDisabled();
  await rowOf(hybrid.traceId).getByTestId("trace-select").check();
  // Ticking does not open the trace.
  await expect(page).toHaveURL(/\/traces$/);
  await expect(compare).toHaveText("Compare 2");
  await compare.click();
  await expect(page).toHaveURL(new RegExp(`/traces/compare\\?ids=${sync.traceId},${hybrid.traceId}$`));

  const summaries = page.getByTestId("compare-trace-summary");
  await expect(summaries).toHaveCount(2);
  await expect(summaries.first()).toHaveAttribute("data-trace-id", sync.traceId);
  await expect(summaries.first()).toContainText("Trace duration");
  await expect(summaries.first()).toContainText("Response time");
  const diff = page.getByTestId("compare-diff");
  await expect(diff).toHaveAttribute("data-trace-id", hybrid.traceId);
  // Both start at the gateway's POST; hybrid's asynchronous consumers exist only in B.
  await expect(diff.locator('[data-testid="diff-row"][data-status="both"]').first()).toBeVisible();
  await expect(diff.locator('[data-testid="diff-row"][data-status="onlyB"]').first()).toBeVisible({ timeout: 15_000 });
  await expect(diff.getByTestId("diff-summary")).toContainText("only in B");
  await page.getByTestId("diff-sort-total").click();
  await expect(page.getByTestId("diff-sort-total")).toContainText("↓");
  await shoot(page, "trace-compare");

  // A bad id gets a clear message instead of a comparison.
  await page.goto(`/traces/compare?ids=${sync.traceId},not-a-trace`);
  await expect(page.getByTestId("compare-traces-error")).toContainText("Not a trace id");

  // The flame graph of the hybrid trace: zoom into its root frame's first child, then reset.
  await page.goto(`/traces/${hybrid.traceId}/flame`);
  const frames = page.getByTestId("flame-frame");
  await expect(frames.first()).toBeVisible();
  const rootFrame = page.locator('[data-testid="flame-frame"]:not([data-path=""])').first();
  const rootPath = (await rootFrame.getAttribute("data-path"))!;
  // A child wide enough to carry a label (narrow ones are a few pixels).
  const child = page.locator(`[data-testid="flame-frame"][data-path^="${rootPath};"]:not(:empty)`).first();
  const childPath = (await child.getAttribute("data-path"))!;
  await shoot(page, "flame-graph");
  await child.click();
  await expect.poll(() => new URL(page.url()).searchParams.get("focus")).toBe(childPath);
  await expect(page.locator('[data-testid="flame-frame"][data-focused="true"]')).toHaveAttribute("data-path", childPath);
  await expect(page.getByTestId("flame-breadcrumb")).toBeVisible();
  await shoot(page, "flame-graph-zoomed");
  await page.getByTestId("flame-reset").click();
  await expect(page).toHaveURL(new RegExp(`/traces/${hybrid.traceId}/flame$`));
  await expect(page.getByTestId("flame-breadcrumb")).toHaveCount(0);

  // The compare-styles page diffs its columns the same way.
  await page.goto(`/compare?traces=${sync.traceId},${hybrid.traceId}`);
  await expect(page.getByTestId("compare-structural-diff").getByTestId("trace-diff")).toBeVisible();
  await expect(page.getByTestId("compare-open-traces")).toHaveAttribute("href", `/traces/compare?ids=${sync.traceId},${hybrid.traceId}`);
  await shoot(page, "compare-styles-diff");
});
