/**
 * The gateway in front of services that fail or move (test slot ports, DB and Redis prefix): the
 * order summary with a part down, and discovery — balancing over two inventory instances and an
 * instance SIGKILLed mid-run.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceDirectory } from "../kit/discovery/directory.ts";
import { useDirectory } from "../kit/discovery/fetch.ts";
import { createServiceClient } from "../kit/rpc-client.ts";
import { listInstances } from "../shared/discovery-registry.ts";
import type { InventoryRouter } from "../inventory/router.ts";
import { TEST_CONFIG } from "../../scripts/launcher/index.ts";
import { PREFIX, startGatewaySystem, type GatewayTestSystem } from "../../tests/support/gateway-system.ts";

const DISCOVERY_TTL_MS = 3000;
let gw: GatewayTestSystem;
let system: GatewayTestSystem["system"];
let key: string;
const call: GatewayTestSystem["call"] = (...args) => gw.call(...args);
const placeOrder: GatewayTestSystem["placeOrder"] = (auth) => gw.placeOrder(auth);
const waitFor: GatewayTestSystem["waitFor"] = (what, probe, timeoutMs) => gw.waitFor(what, probe, timeoutMs);

beforeAll(async () => {
  const discovery = { DISCOVERY_TTL_MS: String(DISCOVERY_TTL_MS) };
  gw = await startGatewaySystem({
    gateway: { ...discovery, GATEWAY_PART_TIMEOUT_MS: "1500" },
    inventory: discovery,
    // This test is about discovery, not timeouts: on a loaded 2-core machine payment calls can
    // take seconds, and a payment timeout would fail an order for reasons unrelated to the kill.
    order: { ...discovery, RESILIENCE_POLICIES: JSON.stringify({ payment: { timeoutMs: 20_000, slowCallDurationMs: 15_000 } }) },
    shipping: discovery,
  });
  system = gw.system;
  key = gw.key;
}, 300_000);

afterAll(async () => {
  await gw?.stop();
});

describe("order summary (aggregation)", () => {
  it("merges order, payment and shipment, and degrades when shipping is down", async () => {
    const placed = await placeOrder();
    const full = await waitFor("complete summary", async () => {
      const body = (await (await call("GET", `/v2/orders/${placed.orderId}/summary`, { "x-api-key": key })).json()) as {
        complete: boolean; shipment: unknown; payment: { amount: { amount: string } } | null;
      };
      return body.complete && body.shipment ? body : undefined;
    });
    expect(full.payment?.amount.amount).toBe("6.00");
    await system.stopInstance("shipping-1");
    try {
      const response = await call("GET", `/v1/orders/${placed.orderId}/summary`, { "x-api-key": key });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { order: { id: string }; payment: { status: string }; shipment: unknown; degraded: { part: string }[] };
      expect(body.order.id).toBe(placed.orderId);
      expect(body.payment.status).toBe("CHARGED");
      expect(body.shipment).toBeNull();
      expect(body.degraded.map((d) => d.part)).toEqual(["shipping"]);
    } finally {
      await system.startInstance("shipping-1");
    }
  });

  it("answers 404 for an unknown order", async () => {
    const response = await call("GET", "/v1/orders/00000000-0000-4000-8000-000000000000/summary", { "x-api-key": key });
    expect(response.status).toBe(404);
  });
});

/** Runs `task` `total` times with `concurrency` workers; resolves with every result in order. */
async function runPool<T>(total: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      results[i] = await task(i);
    }
  }));
  return results;
}

type StoredSpan = { name: string; kind: string; serviceName: string; resource: Record<string, unknown> };

async function inventoryInstanceOf(traceId: string): Promise<string> {
  return waitFor(`inventory span of ${traceId}`, async () => {
    const response = await fetch(`${system.urls.collector}/api/traces/${traceId}`);
    if (response.status !== 200) return undefined;
    const { spans } = (await response.json()) as { spans: StoredSpan[] };
    const served = spans.find((s) => s.serviceName === "inventory" && s.kind === "SERVER" && s.name === "inventory.reserveStock");
    return served ? String(served.resource["service.instance.id"]) : undefined;
  });
}

describe("discovery and load balancing", () => {
  let directory: ServiceDirectory;
  const hits = new Map<string, number>();
  const realRequest = http.request;

  beforeAll(async () => {
    directory = new ServiceDirectory({ redisUrl: TEST_CONFIG.redisUrl, prefix: PREFIX, ttlMs: DISCOVERY_TTL_MS, refreshMs: 200, ejectMs: 5000 });
    await directory.start();
    useDirectory(directory);
    // Count where each request really went (by port), under the discovery fetch: tRPC clients
    // send over node:http (kit/http-fetch.ts), so that is where the requests are seen.
    http.request = ((...args: Parameters<typeof http.request>) => {
      const [target] = args;
      if (target instanceof URL) hits.set(target.port, (hits.get(target.port) ?? 0) + 1);
      return realRequest(...args);
    }) as typeof http.request;
  });

  afterAll(async () => {
    http.request = realRequest;
    useDirectory(null);
    await directory?.stop();
  });

  const port = (id: string) => String(system.instances().find((i) => i.instanceId === id)!.port);

  it("registers every instance, two of inventory", async () => {
    const live = (await listInstances(gw.redis, PREFIX, DISCOVERY_TTL_MS)).filter((i) => i.alive);
    expect(live.filter((i) => i.service === "inventory").map((i) => i.instanceId)).toEqual(["inventory-1", "inventory-2"]);
    expect(live.map((i) => i.service)).toEqual(expect.arrayContaining(["gateway", "order", "payment", "shipping"]));
  });

  it("splits 200 calls over the two inventory instances within 10 % of even", async () => {
    hits.clear();
    const client = createServiceClient<InventoryRouter>(system.urls.inventory);
    await runPool(200, 4, () => client.inventory.listProducts.query());
    const one = hits.get(port("inventory-1")) ?? 0;
    const two = hits.get(port("inventory-2")) ?? 0;
    expect(one + two).toBe(200);
    expect(Math.abs(one - two)).toBeLessThanOrEqual(20);
  });

  it("loses no order when an instance is SIGKILLed mid-run; traffic moves to the survivor; it leaves the registry after its TTL", async () => {
    let killRequestedAt = 0;
    let killedAt = 0;
    const placed = await runPool(30, 3, async (i) => {
      if (i === 10) {
        killRequestedAt = Date.now();
        await system.stopInstance("inventory-2", "kill");
        killedAt = Date.now();
        // No deregistration on SIGKILL: still listed until its TTL runs out.
        const listed = await listInstances(gw.redis, PREFIX, DISCOVERY_TTL_MS);
        expect(listed.find((s) => s.instanceId === "inventory-2")?.alive).toBe(true);
      }
      const startedAfterKill = killedAt > 0;
      return { ...(await placeOrder()), startedAfterKill };
    });
    // v1 reads a CONFIRMED hybrid order (paid and reserved, shipping to follow) as PENDING.
    expect(placed.map((o) => o.status)).toEqual(placed.map(() => "PENDING"));
    const afterKill = placed.filter((o) => o.startedAfterKill);
    expect(afterKill.length).toBeGreaterThanOrEqual(15);
    const servedBy = await Promise.all(afterKill.map((o) => inventoryInstanceOf(o.traceId)));
    expect(new Set(servedBy)).toEqual(new Set(["inventory-1"]));

    const expired = await waitFor("inventory-2 to expire", async () => {
      const listed = await listInstances(gw.redis, PREFIX, DISCOVERY_TTL_MS);
      const entry = listed.find((s) => s.instanceId === "inventory-2");
      return entry?.alive === false ? entry : undefined;
    });
    // It heartbeated until it was killed (at most one 1 s interval before, plus timer slack), and
    // is listed as gone only once the TTL since that last heartbeat has passed.
    const lastHeartbeat = Date.parse(expired.lastHeartbeatAt);
    expect(lastHeartbeat).toBeGreaterThanOrEqual(killRequestedAt - 1000 - 500);
    expect(Date.now() - lastHeartbeat).toBeGreaterThanOrEqual(DISCOVERY_TTL_MS);
    // This client's directory re-reads every 200 ms: make it read the registry as it is now (a
    // read already in flight may predate the expiry, hence a second one after it).
    await directory.refresh();
    await directory.refresh();
    hits.clear();
    const client = createServiceClient<InventoryRouter>(system.urls.inventory);
    await runPool(20, 2, () => client.inventory.listProducts.query());
    expect([...hits.keys()]).toEqual([port("inventory-1")]);
  });
});
