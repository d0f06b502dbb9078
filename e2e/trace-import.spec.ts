import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { trpcGet, trpcPost } from "./dashboard-api.ts";

type Product = { id: string; stock: number };
type Summary = { traceId: string; spanCount: number; services: string[] };
const HOTROD_FIXTURE = "server/trace/fixtures/jaeger-hotrod.json";
const HOTROD_TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";

function spanCountOf(otlpFile: string): number {
  const json = JSON.parse(otlpFile) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
  return json.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length;
}

/** The trace page has loaded `services` (their chips are the service-jump buttons). */
async function expectServices(page: Page, services: readonly string[]): Promise<void> {
  for (const service of services) await expect(page.locator(`[data-testid="service-jump"][data-service="${service}"]`)).toBeVisible();
}

test("a trace downloaded as OTLP JSON and uploaded again opens as a stored copy; a pasted Jaeger file opens too", async ({ page, request }) => {
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    // The 409 below is an answer the page shows, not a fault; Chromium still logs the failed fetch.
    if (m.type() === "error" && !m.text().includes("409")) consoleErrors.push(`${m.text()} ${m.location().url}`);
  });
  // One order through the dashboard's API (the gateway behind it), in the synchronous style.
  const products = await trpcGet<Product[]>(request, "products.list");
  const product = products.find((p) => p.stock > 0);
  expect(product, "a product in stock").toBeTruthy();
  const order = await trpcPost<{ traceId: string }>(request, "orders.place", { productId: product!.id, quantity: 1, customerId: "e2e-import", style: "sync" });
  const traceId = order.traceId;

  // Download it from its trace page.
  await page.goto(`/traces/${traceId}`);
  await expectServices(page, ["gateway", "order", "inventory", "payment", "shipping"]);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download OTLP JSON" }).click()]);
  const filePath = await download.path();
  const spansInFile = spanCountOf(await readFile(filePath, "utf8"));
  expect(spansInFile).toBeGreaterThan(10);

  // The list's header leads to the import page.
  await page.goto("/traces");
  await expect(page.getByTestId("trace-row").first()).toBeVisible();
  await page.screenshot({ path: "artifacts/trace-import-list-link.png", clip: { x: 0, y: 0, width: 1440, height: 200 } });
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(/\/traces\/import$/);

  // Uploading it as it is: the id is stored already, so it is refused, with a link to it.
  await page.getByLabel("Trace file").setInputFiles(filePath);
  await expect(page.getByTestId("import-file-format")).toHaveText("OTLP JSON");
  await page.getByRole("button", { name: "Import file" }).click();
  const refusal = page.getByTestId("import-error");
  await expect(refusal).toContainText(`Trace ${traceId} is already stored`);
  await expect(refusal.getByRole("link", { name: `Open ${traceId}` })).toBeVisible();
  await page.screenshot({ path: "artifacts/trace-import-conflict.png" });

  // As a copy: a new trace id, the same spans, and the page lands on it.
  await page.getByLabel("Import as a copy under a new trace id").check();
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(page).toHaveURL(/\/traces\/[0-9a-f]{32}$/);
  const copyId = page.url().split("/").pop()!;
  expect(copyId).not.toBe(traceId);
  await expectServices(page, ["gateway", "order", "inventory", "payment", "shipping"]);
  await expect(page.getByTestId("trace-root-name")).toContainText("gateway");
  await expect(page.getByTestId("span-row").first()).toBeVisible();
  const copy = await trpcGet<Summary>(request, "traces.summary", { traceId: copyId });
  expect(copy.spanCount).toBe(spansInFile);
  await page.screenshot({ path: "artifacts/trace-import-copy.png" });

  // A Jaeger JSON file (Jaeger's own export shape), pasted, under an id of this run.
  const jaegerId = randomBytes(16).toString("hex");
  const jaegerText = (await readFile(HOTROD_FIXTURE, "utf8")).replaceAll(HOTROD_TRACE, jaegerId);
  await page.goto("/traces/import");
  await page.getByLabel("Trace JSON").fill(jaegerText);
  await expect(page.getByTestId("import-text-format")).toHaveText("Jaeger JSON");
  await page.getByRole("button", { name: "Import pasted text" }).click();
  await expect(page).toHaveURL(new RegExp(`/traces/${jaegerId}$`));
  await expectServices(page, ["frontend", "customer", "mysql", "driver", "redis-manual", "route"]);
  await expect(page.getByTestId("trace-root-name")).toHaveText("frontend: HTTP GET /dispatch");
  await page.screenshot({ path: "artifacts/trace-import-jaeger.png" });

  // And it downloads back as Jaeger JSON with every span.
  const [jaegerDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download Jaeger JSON" }).click()]);
  expect(jaegerDownload.suggestedFilename()).toBe(`trace-${jaegerId}.jaeger.json`);
  const back = JSON.parse(await readFile(await jaegerDownload.path(), "utf8")) as { data: { traceID: string; spans: unknown[] }[] };
  expect(back.data).toHaveLength(1);
  expect(back.data[0]!.traceID).toBe(jaegerId);
  expect(back.data[0]!.spans).toHaveLength(11);

  // Bad input: an inline reason, nothing stored, no navigation.
  await page.goto("/traces/import");
  await page.getByLabel("Trace JSON").fill('{"data": [{"spans": [{"spanID": "not hex"}]}]}');
  await page.getByRole("button", { name: "Import pasted text" }).click();
  await expect(page.getByTestId("import-error")).toContainText("Not a valid Jaeger JSON file");
  await expect(page).toHaveURL(/\/traces\/import$/);
  expect(consoleErrors.filter((e) => !e.includes("400"))).toEqual([]);
});
