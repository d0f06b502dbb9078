/**
 * The gateway against the real system (test slot ports, DB and Redis prefix): auth on every route,
 * rate limiting, the read cache and its TTL, the order summary with a part down, and discovery —
 * balancing over two inventory instances and an instance SIGKILLed mid-run.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceDirectory } from "../kit/discovery/directory.ts";
import { useDirectory } from "../kit/discovery/fetch.ts";
import { listInstances } from "../shared/discovery-registry.ts";
import { createServiceClient } from "../kit/rpc-client.ts";
import type { InventoryRouter } from "../inventory/router.ts";
import { startSystem, TEST_CONFIG, type RunningSystem } from "../../scripts/launcher/index.ts";
import http from "node:http";
import { apiKeyIdsKey, createApiKey, revokeApiKey } from "./auth/keys.ts";
import { issueToken } from "./auth/tokens.ts";
import { cacheKey } from "./cache.ts";

const CACHE_TTL_MS = 1500;
const DISCOVERY_TTL_MS = 3000;
const PREFIX = TEST_CONFIG.redisPrefix;
let system: RunningSystem;
let redis: Redis;
let key: string;
let gateway: string;
const logs: string[] = [];

beforeAll(async () => {
  const discovery = { DISCOVERY_TTL_MS: String(DISCOVERY_TTL_MS) };
  system = await startSystem({
    ...TEST_CONFIG,
    includeDashboard: false,
    // Generous: on a busy 2-core machine a cold service start can take over a minute.
    healthTimeoutMs: 150_000,
    // If start-up outlives the hook, stop what was started instead of leaving it running.
    signal: AbortSignal.timeout(280_000),
    output: (line) => void logs.push(line),
    env: {
      gateway: { ...discovery, GATEWAY_CACHE_TTL_MS: String(CACHE_TTL_MS), GATEWAY_PART_TIMEOUT_MS: "1500" },
      inventory: discovery,
      // This test is about discovery, not timeouts: on a loaded 2-core machine payment calls can
      // take seconds, and a payment timeout would fail an order for reasons unrelated to the kill.
      order: { ...discovery, RESILIENCE_POLICIES: JSON.stringify({ payment: { timeoutMs: 20_000, slowCallDurationMs: 15_000 } }) },
      shipping: discovery,
    },
  });
  gateway = system.urls.gateway;
  redis = new Redis(TEST_CONFIG.redisUrl);
  key = (await createApiKey(redis, PREFIX, "gateway test")).key;
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}\n--- last process output ---\n${logs.slice(-40).join("\n")}`);
}

function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  return fetch(`${gateway}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const ORDER = { productId: "sku-filter", quantity: 1, customerId: "gw-test", style: "hybrid" };

async function placeOrder(auth: Record<string, string> = { "x-api-key": key }): Promise<{ orderId: string; traceId: string; status: string }> {
  const response = await call("POST", "/v1/orders", auth, ORDER);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { orderId: string; traceId: string; status: string };
}

describe("authentication", () => {
  const someId = "00000000-0000-4000-8000-000000000000";
  const routes: [string, string, unknown?][] = [
    ["POST", "/v1/orders", ORDER], ["GET", `/v1/orders/${someId}`], ["GET", `/v1/orders/${someId}/summary`],
    ["GET", "/v1/products"], ["POST", "/v1/tokens", {}], ["POST", "/v2/orders", ORDER], ["GET", `/v2/orders/${someId}`],
    ["GET", `/v2/orders/${someId}/summary`], ["GET", "/v2/products"], ["GET", "/v1/no-such-route"],
  ];

  it("answers 401 on every route without a key, with a wrong key, a forged or an expired token, and places nothing", async () => {
    const secret = Buffer.from((await redis.get(`${PREFIX}:gateway:token-secret`))!);
    const keyRecord = { id: "whatever", name: "x" };
    const forged = issueToken(Buffer.from("not-the-secret-not-the-secret-not-the-secret"), keyRecord, 600).token;
    const expired = issueToken(secret, keyRecord, 60, Date.now() - 120_000).token;
    const wrongKey = `sy_${"A".repeat(43)}`;
    const credentials: Record<string, string>[] = [
      {}, { "x-api-key": wrongKey }, { "x-api-key": "garbage" },
      { authorization: `Bearer ${forged}` }, { authorization: `Bearer ${expired}` }, { authorization: "Bearer abc.def" },
    ];
    const before = await orderCount();
    for (const [method, path, body] of routes) {
      for (const headers of credentials) {
        const response = await call(method, path, headers, body);
        expect(response.status, `${method} ${path} ${JSON.stringify(headers).slice(0, 40)}`).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
      }
    }
    expect(await orderCount()).toBe(before);
  });

  it("accepts a valid key and a token issued for it, and keeps v1 and v2 shapes apart", async () => {
    const tokenResponse = await call("POST", "/v1/tokens", { "x-api-key": key }, { ttlSeconds: 60 });
    expect(tokenResponse.status).toBe(201);
    const { token } = (await tokenResponse.json()) as { token: string };
    const placed = await placeOrder({ authorization: `Bearer ${token}` });
    const v1 = (await (await call("GET", `/v1/orders/${placed.orderId}`, { "x-api-key": key })).json()) as Record<string, unknown>;
    const v2 = (await (await call("GET", `/v2/orders/${placed.orderId}`, { authorization: `Bearer ${token}` })).json()) as Record<string, unknown>;
    expect(v1).toMatchObject({ id: placed.orderId, style: "hybrid" });
    expect(v1).not.toHaveProperty("links");
    // v1 predates CONFIRMED and `recovery`: a confirmed order reads PENDING there.
    expect(placed.status).toBe("PENDING");
    expect(["PENDING", "COMPLETED"]).toContain(v1.status);
    expect(v1).not.toHaveProperty("recovery");
    expect(["CONFIRMED", "COMPLETED"]).toContain(v2.status);
    expect(v2).toMatchObject({ id: placed.orderId, links: { self: `/v2/orders/${placed.orderId}` } });
  });

  it("refuses a token as soon as its key is deleted, by revocation or by removing the key's record", async () => {
    for (const remove of ["revoke", "hdel"] as const) {
      const doomed = await createApiKey(redis, PREFIX, `doomed ${remove}`);
      const issued = await call("POST", "/v1/tokens", { "x-api-key": doomed.key }, { ttlSeconds: 3600 });
      expect(issued.status).toBe(201);
      const bearer = { authorization: `Bearer ${((await issued.json()) as { token: string }).token}` };
      expect((await call("GET", "/v1/products", bearer)).status).toBe(200);
      if (remove === "revoke") expect(await revokeApiKey(redis, PREFIX, doomed.record.id)).toBe(true);
      else await redis.hdel(`${PREFIX}:gateway:api-keys`, (await redis.hget(apiKeyIdsKey(PREFIX), doomed.record.id))!);
      const refused = await call("GET", "/v1/products", bearer);
      expect(refused.status, remove).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    }
  });

  it("answers 421 to a Host that is not on the allow-list, before authentication", async () => {
    const { port } = new URL(gateway);
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, path: "/v1/products", headers: { host, "x-api-key": key } }, (res) => {
          res.resume().on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject).end();
      });
    expect(await get(`evil.example:${port}`)).toBe(421);
    expect(await get(`localhost:${port}`)).toBe(200);
  });

  it("rejects bad input with 400 and oversized bodies with 413 before calling any service", async () => {
    const bad = await call("POST", "/v1/orders", { "x-api-key": key }, { ...ORDER, quantity: 0, extra: 1 });
    expect(bad.status).toBe(400);
    const huge = await call("POST", "/v1/orders", { "x-api-key": key }, { ...ORDER, customerId: "x".repeat(20_000) });
    expect(huge.status).toBe(413);
  });
});

async function orderCount(): Promise<number> {
  const response = await call("GET", "/v1/products", { "x-api-key": key });
  expect(response.status).toBe(200);
  // The gateway has no order list; count through the order service directly.
  const list = await fetch(`${system.urls.order}/trpc/order.listOrders?input=${encodeURIComponent(JSON.stringify({ limit: 200 }))}`);
  return ((await list.json()) as { result: { data: unknown[] } }).result.data.length;
}

describe("rate limiting", () => {
  it("answers a burst beyond the key's limit with 429 and Retry-After, never 5xx", async () => {
    const limited = (await createApiKey(redis, PREFIX, "rate test", { ratePerSecond: 2, burst: 10 })).key;
    const responses = await Promise.all(Array.from({ length: 30 }, () => call("GET", "/v1/products", { "x-api-key": limited })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(12);
    const rejected = responses.filter((r) => r.status === 429);
    expect(rejected.length).toBeGreaterThanOrEqual(18);
    for (const r of rejected) expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another key is not affected.
    expect((await call("GET", "/v1/products", { "x-api-key": key })).status).toBe(200);
  });
});

describe("response cache", () => {
  it("serves a hit after a miss and misses again once the TTL has passed", async () => {
    await redis.del(cacheKey(PREFIX, "products"));
    const first = await call("GET", "/v1/products", { "x-api-key": key });
    const missAt = Date.now();
    expect(first.headers.get("x-cache")).toBe("MISS");
    const second = await call("GET", "/v2/products", { "x-api-key": key });
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(((await second.json()) as { items: { price: { currency: string } }[] }).items[0]?.price.currency).toBe("EUR");
    const ttl = await redis.pttl(cacheKey(PREFIX, "products"));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(CACHE_TTL_MS);
    await waitFor("cache expiry", async () => {
      const r = await call("GET", "/v1/products", { "x-api-key": key });
      return r.headers.get("x-cache") === "MISS" ? true : undefined;
    }, 10_000);
    expect(Date.now() - missAt).toBeGreaterThanOrEqual(CACHE_TTL_MS - 100);
  });
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
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    directory = new ServiceDirectory({ redisUrl: TEST_CONFIG.redisUrl, prefix: PREFIX, ttlMs: DISCOVERY_TTL_MS, refreshMs: 200, ejectMs: 5000 });
    await directory.start();
    useDirectory(directory);
    // Count where each request really went (by port), under the discovery fetch.
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input);
      hits.set(url.port, (hits.get(url.port) ?? 0) + 1);
      return realFetch(input, init);
    };
  });

  afterAll(async () => {
    globalThis.fetch = realFetch;
    useDirectory(null);
    await directory?.stop();
  });

  const port = (id: string) => String(system.instances().find((i) => i.instanceId === id)!.port);

  it("registers every instance, two of inventory", async () => {
    const live = (await listInstances(redis, PREFIX, DISCOVERY_TTL_MS)).filter((i) => i.alive);
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
        const listed = await listInstances(redis, PREFIX, DISCOVERY_TTL_MS);
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
      const listed = await listInstances(redis, PREFIX, DISCOVERY_TTL_MS);
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
