import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";

// The dashboard places orders through the gateway, the only public entry point.
const SERVICES = ["gateway", "order", "inventory", "notification"] as const;

/** Places one order through the form and returns the trace id its result links to. */
async function placeOrder(page: Page): Promise<string> {
  await page.goto("/orders");
  const product = page.getByLabel("Product");
  await expect(product.locator("option")).not.toHaveCount(0);
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Customer").fill("e2e-customer");
  // hybrid: inventory and payment synchronous, then OrderCreated fans out (notification included).
  await page.getByLabel("Style").selectOption("hybrid");
  await page.getByRole("button", { name: "Place order" }).click();
  const result = page.getByTestId("order-result");
  await expect(result).toBeVisible();
  // hybrid answers CONFIRMED (paid and reserved); the card follows it until shipping books the parcel.
  await expect(result.getByTestId("order-status")).toHaveText("COMPLETED", { timeout: 20_000 });
  await expect(result.getByTestId("order-answered")).toContainText("CONFIRMED");
  const href = await result.getByTestId("order-trace-link").getAttribute("href");
  const traceId = href?.match(/\/traces\/([0-9a-f]{32})$/)?.[1];
  expect(traceId, `trace link ${href}`).toBeTruthy();
  await page.screenshot({ path: "artifacts/orders.png" });
  return traceId!;
}

test("an order placed in the dashboard becomes one trace from the gateway across three services", async ({ page }) => {
  // Hydration mismatches and failed requests show up as console errors: none are expected.
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  await page.emulateMedia({ colorScheme: "light" });
  const traceId = await placeOrder(page);

  // The live list picks the new trace up without a reload.
  await page.goto("/traces");
  const row = page.getByTestId("trace-row").filter({ has: page.locator(`a[href="/traces/${traceId}"]`) });
  await expect(row).toBeVisible();
  await page.screenshot({ path: "artifacts/traces-light.png" });
  await row.click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));

  // The notification span arrives asynchronously; the page keeps polling until it is there. The
  // waterfall renders only the rows in view, so each service's chip jumps to its first span.
  for (const service of SERVICES) {
    await page.locator(`[data-testid="service-jump"][data-service="${service}"]`).click();
    const selected = page.locator(`[data-testid="span-row"][aria-selected="true"]`);
    await expect(selected).toBeVisible();
    await expect(selected).toHaveAttribute("data-service", service);
  }
  await page.getByTestId("span-detail").getByRole("button", { name: /close/i }).click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));

  // From the top of the trace, the first inventory span is in view: click it.
  await page.locator('[data-testid="service-jump"][data-service="inventory"]').click();
  await page.getByTestId("span-detail").getByRole("button", { name: /close/i }).click();
  const inventorySpan = page.locator('[data-testid="span-row"][data-service="inventory"]').first();
  const spanId = await inventorySpan.getAttribute("data-span-id");
  await inventorySpan.click();
  await expect(page).toHaveURL(new RegExp(`\\?span=${spanId}$`));
  const detail = page.getByTestId("span-detail");
  await expect(detail).toBeVisible();
  await expect(detail).toContainText(spanId!);
  await expect(detail.getByTestId("attribute-table").first()).toBeVisible();
  await page.screenshot({ path: "artifacts/trace-light.png" });

  // Keyboard: ↓ selects the next row and keeps the URL in step.
  await page.keyboard.press("ArrowDown");
  await expect(page).not.toHaveURL(new RegExp(`\\?span=${spanId}$`));
  await expect(page).toHaveURL(/\?span=[0-9a-f]{16}$/);

  // The URL is shareable: loading it opens the same span, here in the dark theme.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`/traces/${traceId}?span=${spanId}`);
  await expect(page.getByTestId("span-detail")).toContainText(spanId!);
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: "artifacts/trace-dark.png" });
  await page.goto("/traces");
  await expect(page.getByTestId("trace-row").first()).toBeVisible();
  await page.screenshot({ path: "artifacts/traces-dark.png" });
  expect(consoleErrors).toEqual([]);
});

test("the theme toggle overrides the system setting and survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/traces");
  const html = page.locator("html");
  await expect(html).toHaveClass(/dark/);
  const toggle = page.getByTestId("theme-toggle");
  await toggle.click();
  await expect(toggle).toHaveText("Theme: Light");
  await expect(html).not.toHaveClass(/dark/);
  await page.reload();
  await expect(html).not.toHaveClass(/dark/);
  await page.getByTestId("theme-toggle").click();
  await expect(html).toHaveClass(/dark/);
  await page.getByTestId("theme-toggle").click();
  await expect(page.getByTestId("theme-toggle")).toHaveText("Theme: Auto");
});

test("an unknown trace id is a 404", async ({ page }) => {
  const response = await page.goto(`/traces/${"0".repeat(31)}1`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
});

test("the critical path of an order's trace is highlighted, addressable by URL, and one host shows no skew", async ({ page }) => {
  const traceId = await placeOrder(page);
  await page.goto(`/traces/${traceId}`);
  await expect(page.locator('[data-testid="service-jump"][data-service="shipping"]')).toBeVisible();
  // Every process of this trace ran on this machine: its clock is shared, nothing is shifted.
  await expect(page.getByTestId("skew-notice")).toHaveCount(0);
  const toggle = page.getByRole("button", { name: "Critical path" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}\\?cp=1$`));
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText(/in \d+ spans \+ .* waiting/)).toBeVisible();
  // The root decided the start; the path runs through it, and spans off the path fade.
  await expect(page.getByTestId("span-row").first()).toHaveAttribute("data-critical", "true");
  expect(await page.getByTestId("critical-segment").count()).toBeGreaterThan(1);
  await page.screenshot({ path: "artifacts/trace-critical-path.png" });
  // The URL alone brings it back.
  await page.reload();
  await expect(page.getByRole("button", { name: "Critical path" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Critical path" }).click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
  await expect(page.getByTestId("critical-segment")).toHaveCount(0);

  // The trace downloads as an OTLP JSON file with every span of it.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download OTLP JSON" }).click()]);
  expect(download.suggestedFilename()).toBe(`trace-${traceId}.otlp.json`);
  const file = JSON.parse(await readFile(await download.path(), "utf8")) as { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] };
  const exported = file.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  expect(exported.length).toBeGreaterThan(20);
  expect(exported.every((s) => s.traceId === traceId)).toBe(true);

  // Statistics: where the time went, per service, then per operation sorted by span count.
  await page.getByRole("link", { name: "Statistics" }).click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}/stats$`));
  const table = page.getByTestId("trace-stats");
  for (const service of ["gateway", "order", "inventory", "payment", "shipping"]) {
    await expect(table.getByRole("cell", { name: service, exact: true })).toBeVisible();
  }
  await page.getByRole("link", { name: "per operation" }).click();
  await table.getByRole("link", { name: "Spans" }).click();
  await expect(page).toHaveURL(/by=operation&sort=count/);
  await expect(table.getByRole("columnheader", { name: "Spans ↓" })).toHaveAttribute("aria-sort", "descending");
  const counts = await page.getByTestId("stats-row").evaluateAll((rows) => rows.map((r) => Number(r.children[4]?.textContent)));
  expect(counts.length).toBeGreaterThan(5);
  expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  await page.screenshot({ path: "artifacts/trace-statistics.png" });
});
