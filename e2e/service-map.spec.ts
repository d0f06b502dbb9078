import { randomBytes } from "node:crypto";
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

/** Warnings and errors the page logs from now on (React Flow warns through console.warn). */
function collectConsole(page: Page): string[] {
  const messages: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "warning" || msg.type() === "error") messages.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => messages.push(`pageerror: ${err.message}`));
  return messages;
}

/** Rendered px of a node's name: its computed font size times the zoom of the map's viewport. */
async function renderedLabelPx(page: Page, selector: string): Promise<{ fontPx: number; boxPx: number }> {
  const label = page.locator(selector).first();
  const box = await label.boundingBox();
  const fontPx = await label.evaluate((el) => {
    const viewport = el.closest(".react-flow__viewport") ?? document.querySelector(".react-flow__viewport");
    const scale = viewport ? new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a : 1;
    return parseFloat(getComputedStyle(el).fontSize) * scale;
  });
  return { fontPx, boxPx: box?.height ?? 0 };
}

const SCREENS = "artifacts/screens";

/** A PRODUCER span of service `dashboard` to a subscriber's queue: what a dead-letter replay sends. */
async function postDashboardReplaySpan(): Promise<void> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const hex = (bytes: number) => randomBytes(bytes).toString("hex");
  const attributes = [{ key: "messaging.destination.name", value: { stringValue: "order-events.notification" } },
    { key: "messaging.system", value: { stringValue: "bullmq" } }];
  const body = {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "dashboard" } }] },
      scopeSpans: [{ scope: { name: "e2e-map" }, spans: [{ traceId: hex(16), spanId: hex(8), name: "send order-events.notification", kind: 4,
        startTimeUnixNano: String(now), endTimeUnixNano: String(now + 2_000_000n), attributes, status: { code: 0 } }] }],
    }],
  };
  const res = await fetch(`${COLLECTOR}/v1/traces`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  expect(res.status, await res.text()).toBe(200);
}

test("the service map opens readable and shows the services and queues of a placed order", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  const spans = await settledSpans(await placeOrder(page));
  const services = [...new Set(spans.filter((s) => ["SERVER", "CONSUMER", "PRODUCER"].includes(s.kind)).map((s) => s.serviceName))];
  // A queue node is what a producer sent to: a subscriber's own queue (`order-events.shipping`)
  // is drawn as the topic its event was published on, the fan-out as edges from that node.
  const queues = [...new Set(spans.filter((s) => s.kind === "PRODUCER")
    .map((s) => s.attributes["messaging.destination.name"]).filter((q): q is string => typeof q === "string"))];
  expect(services.length).toBeGreaterThan(1);
  expect(queues.length).toBeGreaterThan(0);

  const consoleMessages = collectConsole(page);
  await page.goto("/map?window=15m");
  const map = page.getByTestId("service-map");
  for (const name of services) await expect(map.locator(`[data-node-kind="service"][data-node-name="${name}"]`)).toBeVisible();
  // Queues of one topic are one node: a queue is drawn under its own name or its topic's.
  for (const name of queues) {
    await expect(map.locator(`[data-node-kind="queue"][data-node-name="${name}"], [data-node-kind="queue"][data-node-name="${name.split(".")[0]}"]`).first()).toBeAttached();
  }
  // The dashboard's own reads are hidden by default.
  await expect(map.locator('[data-node-name="dashboard"]')).toHaveCount(0);
  // Typed edges: the order's synchronous hop and its messages are both drawn, with figures.
  await expect(map.locator('[data-testid="map-edge-label"][data-edge-type="sync"]').first()).toBeVisible();
  await expect(map.locator('[data-testid="map-edge-label"]:not([data-edge-type="sync"])').first()).toContainText("/");

  // Readable on open: node names and edge figures at 11 px or more on screen.
  const gatewayLabel = '[data-node-name="gateway"] [data-testid="map-node-label"]';
  const node = await renderedLabelPx(page, gatewayLabel);
  const edge = await renderedLabelPx(page, '[data-testid="map-edge-label"]');
  console.log(`map label px: node ${node.fontPx.toFixed(1)} (box ${node.boxPx.toFixed(1)}), edge ${edge.fontPx.toFixed(1)}`);
  expect(node.fontPx).toBeGreaterThanOrEqual(11);
  expect(node.boxPx).toBeGreaterThanOrEqual(11);
  expect(edge.fontPx).toBeGreaterThanOrEqual(11);
  await page.screenshot({ path: `${SCREENS}/map-light.png` });
  // The whole drawing, zoomed out by hand (to look at the layout, not to read it).
  for (let i = 0; i < 4; i++) await page.getByRole("button", { name: "Zoom Out" }).click();
  await page.screenshot({ path: `${SCREENS}/map-overview-light.png` });

  // Clicking a node selects it (in the URL), links to its traces, and the panel covers no node.
  await map.locator(`[data-node-kind="service"][data-node-name="order"]`).click();
  await expect(page).toHaveURL(/select=service%3Aorder/);
  const panel = page.getByTestId("map-selection");
  await expect(panel.getByTestId("map-traces-link").first()).toHaveAttribute("href", "/traces?service=order");
  const panelBox = (await panel.boundingBox())!;
  const canvasBox = (await map.boundingBox())!;
  expect(canvasBox.x + canvasBox.width).toBeLessThanOrEqual(panelBox.x + 1);
  const orderBox = (await map.locator('[data-node-name="order"]').boundingBox())!;
  expect(orderBox.x + orderBox.width).toBeLessThanOrEqual(panelBox.x);
  await page.screenshot({ path: `${SCREENS}/map-selected-light.png` });

  // Focus on its neighbourhood from the panel: in the URL, other services hidden.
  await panel.getByTestId("map-focus-button").click();
  await expect(page).toHaveURL(/focus=order/);
  await expect(page.getByTestId("map-focus")).toBeVisible();
  expect(consoleMessages).toEqual([]);
});

test("focus, own traffic and instances are addressable by URL", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await placeOrder(page);
  const consoleMessages = collectConsole(page);
  const map = page.getByTestId("service-map");

  // The gateway's neighbourhood is the gateway and the order service it calls.
  await page.goto("/map?window=15m&focus=gateway");
  await expect(map.locator('[data-node-name="gateway"]')).toBeVisible();
  await expect(map.locator('[data-node-name="order"]')).toBeVisible();
  await expect(map.locator('[data-node-name="notification"]')).toHaveCount(0);
  const focused = await renderedLabelPx(page, '[data-node-name="gateway"] [data-testid="map-node-label"]');
  expect(focused.fontPx).toBeGreaterThanOrEqual(11);
  await page.getByRole("button", { name: "Show the whole map" }).click();
  await expect(page).not.toHaveURL(/focus=/);
  await expect(map.locator('[data-node-name="notification"]')).toBeVisible();

  // The dashboard's own traffic (a dead-letter replay, as the replayer sends it) on request only.
  await postDashboardReplaySpan();
  await expect.poll(async () => {
    await page.goto("/map?window=15m&own=1");
    await expect(page.getByTestId("map-summary")).toContainText("nodes");
    return map.locator('[data-node-name="dashboard"]').count();
  }, { timeout: 20_000 }).toBe(1);
  await expect(page.getByTestId("map-own-toggle")).toBeChecked();
  // Controlled by the URL: the box follows once the URL changed (uncheck() would check at once).
  await page.getByTestId("map-own-toggle").click();
  await expect(page.getByTestId("map-own-toggle")).not.toBeChecked();
  await expect(page).not.toHaveURL(/own=1/);
  await expect(map.locator('[data-node-name="dashboard"]')).toHaveCount(0);

  // Inventory runs twice: its node opens onto both instances once both have served requests.
  const inventory = map.locator('[data-node-kind="service"][data-node-name="inventory"]');
  await expect.poll(async () => {
    await page.goto("/map?window=15m&expand=service:inventory");
    await expect(inventory).toBeVisible();
    return inventory.getByTestId("map-instance").count();
  }, { timeout: 30_000 }).toBe(2);
  await expect(inventory.getByTestId("map-instance").first()).toContainText("req");
  await page.screenshot({ path: `${SCREENS}/map-instances-light.png` });
  await inventory.getByTestId("map-node-expand").click();
  await expect(page).not.toHaveURL(/expand=/);
  await expect(inventory.getByTestId("map-instance")).toHaveCount(0);

  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/map?window=1h");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
  await expect(map.locator('[data-node-kind="queue"]').first()).toBeVisible();
  const dark = await renderedLabelPx(page, '[data-node-name="gateway"] [data-testid="map-node-label"]');
  expect(dark.fontPx).toBeGreaterThanOrEqual(11);
  await page.screenshot({ path: `${SCREENS}/map-dark.png` });
  await page.goto("/map?window=1h&focus=order&select=service:order");
  await expect(page.getByTestId("map-selection")).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/map-focus-dark.png` });
  expect(consoleMessages).toEqual([]);
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
