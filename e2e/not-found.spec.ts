import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { TEST_CONFIG } from "../scripts/launcher/test-config.ts";

const COLLECTOR = `http://127.0.0.1:${TEST_CONFIG.ports.collector}/v1/traces`;

/** Console errors and uncaught page errors of `page` from now on. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

test("an unknown URL is a generic 404 without console errors, and the theme still applies", async ({ page }) => {
  const errors = collectErrors(page);
  await page.emulateMedia({ colorScheme: "dark" });
  const response = await page.goto("/nope");
  expect(response?.status()).toBe(404);
  const panel = page.getByTestId("not-found");
  await expect(panel).toContainText("Page not found");
  await expect(panel).not.toContainText("deleted");
  // The pre-paint theme script ran (or the toggle applied the theme after mount).
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page).toHaveTitle(/Not found/);
  await page.screenshot({ path: "artifacts/screens/not-found.png" });
  // Navigating from the 404 to a real page and back keeps the console clean too.
  await panel.getByRole("link", { name: "Back to traces" }).click();
  await expect(page).toHaveURL(/\/traces$/);
  await page.goBack();
  await expect(page.getByTestId("not-found")).toContainText("Page not found");
  expect(errors.filter((e) => !/Failed to load resource.*404/.test(e))).toEqual([]);
});

test("an unknown trace id says the trace was not found", async ({ page }) => {
  const errors = collectErrors(page);
  for (const id of [`${"0".repeat(31)}1`, "not-a-trace-id"]) {
    const response = await page.goto(`/traces/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toContainText("Trace not found");
    await expect(page.getByTestId("not-found")).toContainText("may have been deleted");
  }
  await page.screenshot({ path: "artifacts/screens/trace-not-found.png" });
  expect(errors.filter((e) => !/Failed to load resource.*404/.test(e))).toEqual([]);
});

test("a trace page opened before its spans arrive opens the trace once they do", async ({ page, request }) => {
  const errors = collectErrors(page);
  const traceId = randomBytes(16).toString("hex");
  const response = await page.goto(`/traces/${traceId}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("trace-wait")).toContainText("checking again");
  // The spans reach the collector a moment later, as a batch export would deliver them.
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "late-service" } }] },
      scopeSpans: [{
        scope: { name: "e2e-late" },
        spans: [{ traceId, spanId: randomBytes(8).toString("hex"), name: "GET /late", kind: 2, startTimeUnixNano: String(now), endTimeUnixNano: String(now + 5_000_000n), status: { code: 0 } }],
      }],
    }],
  };
  const sent = await request.post(COLLECTOR, { data: body, headers: { "content-type": "application/json" } });
  expect(sent.status(), await sent.text()).toBe(200);
  await expect(page.getByTestId("trace-root-name")).toContainText("late-service", { timeout: 15_000 });
  await expect(page.getByTestId("not-found")).toHaveCount(0);
  expect(errors.filter((e) => !/Failed to load resource.*404/.test(e))).toEqual([]);
});
