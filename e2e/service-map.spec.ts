import { expect, test, type Page } from "@playwright/test";
import { TEST_CONFIG } from "../scripts/launcher/test-config.ts";

const COLLECTOR = `http://127.0.0.1:${TEST_CONFIG.ports.collector}`;

type Span = { kind: string; serviceName: string; attributes: Record<string, unknown> };

/** Places one order through the form; returns the trace id its result links to. */
async function placeOrder(page: Page): Promise<string> {
  await page.goto("/orders");
  await expect(page.getByLabel("Product").locator("option")).not.toHaveCount(0);
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Customer").fill("e2e-map");
  await page.getByRole("button", { name: "Place order" }).click();
  const link = page.getByTestId("order-result").getByTestId("order-trace-link");
  await expect(link).toBeVisible();
  const traceId = (await link.getAttribute("href"))?.match(/\/traces\/([0-9a-f]{32})/)?.[1];
  expect(traceId).toBeTruthy();
  return traceId!;
}

/** The order's spans once a consumer has processed one of its messages (async hops arrive later). */
async function settledSpans(traceId: string): Promise<Span[]> {
  let spans: Span[] = [];
  await expect.poll(async () => {
    const res = await fetch(`${COLLECTOR}/api/traces/${traceId}`);
    spans = res.ok ? ((await res.json()) as { spans: Span[] }).spans : [];
    return spans.some((s) => s.kind === "CONSUMER");
  }, { timeout: 30_000 }).toBe(true);
  return spans;
}

test("the service map shows the services and queues of a placed order", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  const spans = await settledSpans(await placeOrder(page));
  const services = [...new Set(spans.filter((s) => ["SERVER", "CONSUMER", "PRODUCER"].includes(s.kind)).map((s) => s.serviceName))];
  // A queue node is what a producer sent to: a subscriber's own queue (`order-events.shipping`)
  // is drawn as the topic its event was published on, the fan-out as edges from that node.
  const queues = [...new Set(spans.filter((s) => s.kind === "PRODUCER")
    .map((s) => s.attributes["messaging.destination.name"]).filter((q): q is string => typeof q === "string"))];
  expect(services.length).toBeGreaterThan(1);
  expect(queues.length).toBeGreaterThan(0);

  await page.goto("/map?window=15m");
  const map = page.getByTestId("service-map");
  for (const name of services) await expect(map.locator(`[data-node-kind="service"][data-node-name="${name}"]`)).toBeVisible();
  for (const name of queues) await expect(map.locator(`[data-node-kind="queue"][data-node-name="${name}"]`)).toBeVisible();
  // Typed edges: the order's synchronous hop and its messages are both drawn, with figures.
  await expect(map.locator('[data-testid="map-edge-label"][data-edge-type="sync"]').first()).toBeVisible();
  await expect(map.locator('[data-testid="map-edge-label"]:not([data-edge-type="sync"])').first()).toContainText("/");
  await page.screenshot({ path: "artifacts/map-light.png" });

  // Clicking a node selects it (in the URL) and links to its traces.
  await map.locator(`[data-node-kind="service"][data-node-name="${services[0]}"]`).click();
  await expect(page).toHaveURL(new RegExp(`select=service%3A${services[0]}`));
  const link = page.getByTestId("map-selection").getByTestId("map-traces-link").first();
  await expect(link).toHaveAttribute("href", `/traces?service=${services[0]}`);
  await page.screenshot({ path: "artifacts/map-selected-light.png" });

  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/map?window=1h");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
  await expect(map.locator('[data-node-kind="queue"]').first()).toBeVisible();
  await page.screenshot({ path: "artifacts/map-dark.png" });
});

test("the services page shows two inventory instances serving requests", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await placeOrder(page);
  await page.goto("/services");
  const inventory = page.locator('[data-testid="service-group"][data-service="inventory"]');
  const rows = inventory.getByTestId("instance-row");
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row.getByTestId("instance-health")).toHaveText("up");
  // Requests served come from the spans (SERVER spans by service.instance.id).
  await expect.poll(async () => {
    const counts = await inventory.getByTestId("instance-requests").allTextContents();
    return counts.reduce((sum, c) => sum + Number(c), 0);
  }, { timeout: 20_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: "artifacts/services-light.png" });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(rows).toHaveCount(2);
  await page.screenshot({ path: "artifacts/services-dark.png" });
});
