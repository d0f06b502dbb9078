import { expect, test } from "@playwright/test";
import { TEST_CONFIG } from "../scripts/launcher/index.ts";
import { buildSpanTree } from "../server/trace/span-tree.ts";
import { makeLargeTrace, seedSpans } from "./large-trace.ts";

const SPAN_COUNT = 10_000;

test("a 10,000-span trace renders only the rows in view and scrolls to the end", async ({ page }) => {
  const spans = makeLargeTrace(SPAN_COUNT);
  const traceId = spans[0]!.traceId;
  await seedSpans(TEST_CONFIG.databaseUrl, spans);

  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`/traces/${traceId}`);
  await expect(page.getByTestId("span-row").first()).toContainText("load-test.root");
  await expect(page.getByText(SPAN_COUNT.toLocaleString("en-US"), { exact: true })).toBeVisible();

  // Windowing: a screenful of rows is in the DOM, not ten thousand.
  const rendered = await page.getByTestId("span-row").count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(120);

  // Scrolling to the bottom brings the last rows in, still without rendering the rest.
  const tree = page.getByRole("tree", { name: "Spans" });
  await tree.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  // Display order is depth-first, so the last row is the tree's right-most leaf.
  const { rows } = buildSpanTree(spans);
  const lastSpanId = rows[rows.length - 1]!.span.spanId;
  await expect(page.locator(`[data-span-id="${lastSpanId}"]`)).toBeVisible();
  expect(await page.getByTestId("span-row").count()).toBeLessThan(120);

  // A span deep in the trace opens from its URL, scrolled into view.
  const deepSpanId = rows[SPAN_COUNT - 300]!.span.spanId;
  await page.goto(`/traces/${traceId}?span=${deepSpanId}`);
  await expect(page.locator(`[data-span-id="${deepSpanId}"]`)).toBeVisible();
  await expect(page.getByTestId("span-detail")).toContainText(deepSpanId);
  await page.screenshot({ path: "artifacts/large-trace-dark.png" });
});

test("a big trace shows its first page at once and loads the rest in pages", async ({ page }) => {
  const spans = makeLargeTrace(SPAN_COUNT);
  const traceId = spans[0]!.traceId;
  await seedSpans(TEST_CONFIG.databaseUrl, spans);

  // Hold every page after the first (their input carries a cursor) until the first is checked.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/trpc/traces.get*", async (route) => {
    if (decodeURIComponent(route.request().url()).includes("startNs")) await held;
    await route.continue();
  });

  await page.goto(`/traces/${traceId}`);
  await expect(page.getByTestId("trace-paging")).toContainText("Showing 2,000 of 10,000 spans");
  await expect(page.getByTestId("span-row").first()).toContainText("load-test.root");
  await page.screenshot({ path: "artifacts/large-trace-paging.png" });

  release();
  await expect(page.getByTestId("trace-paging")).toBeHidden();
  await expect(page.getByText(SPAN_COUNT.toLocaleString("en-US"), { exact: true })).toBeVisible();
  await expect(page.getByTestId("trace-notices")).toBeHidden();
});
