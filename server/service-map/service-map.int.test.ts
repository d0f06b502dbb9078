/**
 * The collector ingests span fixtures over OTLP (servers before their clients, as real exporters
 * deliver them) and the service-map router returns the graph from telemetry.edge_minutes.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCollector, type Collector } from "../collector/app.ts";
import { CollectorEnvSchema } from "../collector/env.ts";
import { createCaller } from "../routers/app-router.ts";
import type { InventoryApi, OrderApi } from "../routers/service-clients.ts";
import type { StoredSpan } from "../store/types.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

const run = randomBytes(3).toString("hex");
const NOW_MS = Date.now();
let collector: Collector;
let base: string;

/** The fixture moved to now, with fresh ids and run-specific service and queue names. */
function freshOrderTrace(): StoredSpan[] {
  const spans = orderFlow as unknown as StoredSpan[];
  const ids = new Map(spans.map((s) => [s.spanId, randomBytes(8).toString("hex")]));
  const traceId = randomBytes(16).toString("hex");
  const shiftNs = BigInt(NOW_MS - 30_000) * 1_000_000n - BigInt(spans[0]!.startTimeUnixNano);
  const tag = (v: string) => `${v}-${run}`;
  return spans.map((s) => {
    const attributes = { ...s.attributes };
    if (typeof attributes["messaging.destination.name"] === "string") attributes["messaging.destination.name"] = tag(attributes["messaging.destination.name"]);
    if (typeof attributes["rpc.service"] === "string") attributes["rpc.service"] = tag(attributes["rpc.service"]);
    return {
      ...s, traceId, spanId: ids.get(s.spanId)!, parentSpanId: s.parentSpanId ? ids.get(s.parentSpanId)! : null,
      serviceName: tag(s.serviceName), attributes, resource: { ...s.resource, "service.name": tag(s.serviceName) },
      startTimeUnixNano: (BigInt(s.startTimeUnixNano) + shiftNs).toString(),
      endTimeUnixNano: (BigInt(s.endTimeUnixNano) + shiftNs).toString(),
    };
  });
}

const KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
const value = (v: unknown) => typeof v === "number" ? { intValue: String(v) } : { stringValue: String(v) };

/** OTLP JSON request: one resource per (service, instance), as each process would send. */
function otlpJson(spans: StoredSpan[]): string {
  const groups = new Map<string, StoredSpan[]>();
  for (const s of spans) {
    const key = JSON.stringify(s.resource);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return JSON.stringify({
    resourceSpans: [...groups].map(([resource, group]) => ({
      resource: { attributes: Object.entries(JSON.parse(resource) as Record<string, unknown>).map(([key, v]) => ({ key, value: value(v) })) },
      scopeSpans: [{ scope: { name: "fixture" }, spans: group.map((s) => ({
        traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? "", name: s.name, kind: KINDS.indexOf(s.kind),
        startTimeUnixNano: s.startTimeUnixNano, endTimeUnixNano: s.endTimeUnixNano,
        attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: value(v) })),
        status: { code: s.status.code === "ERROR" ? 2 : 0, message: s.status.message ?? "" },
      })) }],
    })),
  });
}

async function post(spans: StoredSpan[]): Promise<void> {
  const res = await fetch(`${base}/v1/traces`, { method: "POST", body: otlpJson(spans), headers: { "content-type": "application/json" } });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  const env = CollectorEnvSchema.parse({ PORT: "0", DATABASE_URL: TEST_CONFIG.databaseUrl, BATCH_LINGER_MS: "2",
    RETENTION_INTERVAL_MS: "3600000", SERVICE_MAP_FLUSH_MS: "60000" });
  collector = createCollector(env, { info: () => {}, error: (m, e) => console.error(m, e) });
  base = `http://127.0.0.1:${await collector.listen()}`;
});
afterAll(async () => {
  await collector?.pool.query("DELETE FROM telemetry.edge_minutes WHERE from_node LIKE $1 OR to_node LIKE $1", [`%-${run}`]);
  await collector?.pool.query("DELETE FROM telemetry.instance_minutes WHERE service_name LIKE $1", [`%-${run}`]);
  await collector?.close();
});

const caller = () => createCaller({
  db: collector.db,
  order: { placeOrder: vi.fn(), listOrders: vi.fn() } as unknown as OrderApi,
  inventory: { listProducts: vi.fn() } as unknown as InventoryApi,
});

describe("service map from ingested spans", () => {
  it("returns typed edges with counts from the bucket table, parents arriving late", async () => {
    const traces = [freshOrderTrace(), freshOrderTrace()];
    const spans = traces.flat();
    await post(spans.filter((s) => s.kind !== "CLIENT")); // servers and consumers first
    await post(spans.filter((s) => s.kind === "CLIENT"));
    await collector.aggregator.flush();

    const graph = await caller().serviceMap.graph({ window: "15m" });
    const mine = graph.edges.filter((e) => e.from.endsWith(run) || e.to.endsWith(run));
    const summary = mine.map((e) => `${e.from} -> ${e.to} ${e.type} x${e.calls}/${e.errors}`).sort();
    const t = (v: string) => v.replaceAll("@", run);
    expect(summary).toEqual([
      "queue:fraud-check-replies-@ -> service:order-@ request_reply x2/0",
      "queue:fraud-check-requests-@ -> service:payment-@ request_reply x2/0",
      "queue:order-events-@ -> service:analytics-@ event x2/0",
      "queue:order-events-@ -> service:notification-@ event x2/0",
      "queue:order-events-@ -> service:shipping-@ event x2/0",
      "queue:shipping-commands-@ -> service:shipping-@ command x2/0",
      "service:gateway-@ -> service:order-@ sync x2/0",
      "service:order-@ -> queue:fraud-check-requests-@ request_reply x2/0",
      "service:order-@ -> queue:order-events-@ event x2/0",
      "service:order-@ -> queue:shipping-commands-@ command x2/0",
      "service:order-@ -> service:inventory-@ sync x4/0",
      "service:order-@ -> service:payment-@ sync x2/2",
      "service:payment-@ -> queue:fraud-check-replies-@ request_reply x2/0",
    ].map(t));
    const payment = mine.find((e) => e.to === `service:payment-${run}` && e.type === "sync")!;
    expect(payment).toMatchObject({ errorRate: 1, avgMs: 18, maxMs: 18 });
    expect(graph.nodes.filter((n) => n.id.endsWith(run)).map((n) => n.kind).filter((k) => k === "queue")).toHaveLength(4);

    const rows = await collector.pool.query("SELECT count(*)::int AS n FROM telemetry.instance_minutes WHERE service_name = $1", [`inventory-${run}`]);
    expect(rows.rows[0].n).toBe(2); // inventory-1 and inventory-2
    // The map's inventory node lists both instances with the requests each served.
    const inventory = graph.nodes.find((n) => n.id === `service:inventory-${run}`)!;
    expect(inventory.instances?.map((i) => i.id)).toEqual(["inventory-1", "inventory-2"]);
    expect(inventory.instances!.every((i) => i.requests > 0)).toBe(true);
  });

  it("rejects an unknown window", async () => {
    await expect(caller().serviceMap.graph({ window: "2h" as "1h" })).rejects.toThrow();
  });
});
