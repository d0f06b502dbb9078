/**
 * The gateway's API against the real system (test slot ports, DB and Redis prefix): auth on every
 * route, validation, the order list, rate limiting and the read cache with its TTL. Aggregation and
 * discovery are in gateway-discovery.int.test.ts.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "./auth/tokens.ts";
import { apiKeyIdsKey, createApiKey, revokeApiKey } from "./auth/keys.ts";
import { cacheKey } from "./cache.ts";
import { ORDER, PREFIX, startGatewaySystem, type GatewayTestSystem } from "../../tests/support/gateway-system.ts";

const CACHE_TTL_MS = 1500;
let gw: GatewayTestSystem;
let gateway: string;
let key: string;
const call: GatewayTestSystem["call"] = (...args) => gw.call(...args);
const placeOrder: GatewayTestSystem["placeOrder"] = (auth) => gw.placeOrder(auth);

beforeAll(async () => {
  gw = await startGatewaySystem({ gateway: { GATEWAY_CACHE_TTL_MS: String(CACHE_TTL_MS) } });
  gateway = gw.system.urls.gateway;
  key = gw.key;
}, 300_000);

afterAll(async () => {
  await gw?.stop();
});

describe("authentication", () => {
  const someId = "00000000-0000-4000-8000-000000000000";
  const routes: [string, string, unknown?][] = [
    ["POST", "/v1/orders", ORDER], ["GET", `/v1/orders/${someId}`], ["GET", `/v1/orders/${someId}/summary`],
    ["GET", "/v1/products"], ["POST", "/v1/tokens", {}], ["POST", "/v2/orders", ORDER], ["GET", `/v2/orders/${someId}`],
    ["GET", `/v2/orders/${someId}/summary`], ["GET", "/v2/products"], ["GET", "/v1/orders"], ["GET", "/v2/orders?limit=5"],
    ["GET", "/v1/no-such-route"],
  ];

  it("answers 401 on every route without a key, with a wrong key, a forged or an expired token, and places nothing", async () => {
    const secret = Buffer.from((await gw.redis.get(`${PREFIX}:gateway:token-secret`))!);
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
      const doomed = await createApiKey(gw.redis, PREFIX, `doomed ${remove}`);
      const issued = await call("POST", "/v1/tokens", { "x-api-key": doomed.key }, { ttlSeconds: 3600 });
      expect(issued.status).toBe(201);
      const bearer = { authorization: `Bearer ${((await issued.json()) as { token: string }).token}` };
      expect((await call("GET", "/v1/products", bearer)).status).toBe(200);
      if (remove === "revoke") expect(await revokeApiKey(gw.redis, PREFIX, doomed.record.id)).toBe(true);
      else await gw.redis.hdel(`${PREFIX}:gateway:api-keys`, (await gw.redis.hget(apiKeyIdsKey(PREFIX), doomed.record.id))!);
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
  const response = await call("GET", "/v2/orders?limit=200", { "x-api-key": key });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: unknown[] }).items.length;
}

describe("order list", () => {
  it("lists the most recent orders newest first, as v1 and v2 shape them, no more than the limit", async () => {
    const first = await placeOrder();
    const second = await placeOrder();
    const v2 = await call("GET", "/v2/orders?limit=2", { "x-api-key": key });
    expect(v2.status).toBe(200);
    const body = (await v2.json()) as { items: { id: string; status: string; links: Record<string, string> }[]; links: Record<string, string> };
    expect(body.items.map((o) => o.id)).toEqual([second.orderId, first.orderId]);
    expect(body.items[0]!.links.self).toBe(`/v2/orders/${second.orderId}`);
    expect(body.links).toEqual({ self: "/v2/orders?limit=2" });
    const v1 = (await (await call("GET", "/v1/orders?limit=1", { "x-api-key": key })).json()) as Record<string, unknown>[];
    expect(v1.map((o) => o.id)).toEqual([second.orderId]);
    expect(v1[0]).not.toHaveProperty("links");
    expect(v1[0]).not.toHaveProperty("recovery");
    expect(["PENDING", "COMPLETED"]).toContain(v1[0]!.status);
    const byDefault = (await (await call("GET", "/v2/orders", { "x-api-key": key })).json()) as { items: unknown[]; links: Record<string, string> };
    expect(byDefault.links.self).toBe("/v2/orders?limit=50");
  });

  it("answers 400 to a limit out of range, not a number, or an unknown parameter", async () => {
    for (const query of ["limit=0", "limit=201", "limit=abc", "limit=1.5", "cursor=x"]) {
      const response = await call("GET", `/v2/orders?${query}`, { "x-api-key": key });
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BAD_INPUT");
    }
  });
});

describe("saga requests", () => {
  const post = (path: string, body: unknown) => call("POST", path, { "x-api-key": key }, body);

  it("refuses bad input with 400 before calling the order service, and an order without a saga with 404", async () => {
    expect((await post("/v2/orders/not-a-uuid/cancel", {})).status).toBe(400);
    expect((await post("/v2/orders/00000000-0000-4000-8000-000000000000/retry", { afterAttempt: -1 })).status).toBe(400);
    expect((await post("/v2/orders/00000000-0000-4000-8000-000000000000/cancel", { reason: "x" })).status).toBe(400);
    const hybrid = await placeOrder();
    const none = await post(`/v2/orders/${hybrid.orderId}/cancel`, {});
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/has no saga/);
    expect((await call("POST", `/v2/orders/${hybrid.orderId}/cancel`, {}, {})).status).toBe(401);
  });

  it("answers 409 with the reason for a saga that has ended, and a link to the order", async () => {
    const placed = await call("POST", "/v2/orders", { "x-api-key": key }, { ...ORDER, style: "saga" });
    const { id } = (await placed.json()) as { id: string };
    await gw.waitFor(`order ${id} to end`, async () => {
      const order = (await (await call("GET", `/v2/orders/${id}`, { "x-api-key": key })).json()) as { status: string };
      return ["COMPLETED", "COMPENSATED", "REJECTED"].includes(order.status) ? true : undefined;
    });
    const answer = await post(`/v2/orders/${id}/cancel`, {});
    expect(answer.status).toBe(409);
    const body = (await answer.json()) as { error: { code: string; message: string; details: { outcome: string; links: { order: string } } } };
    expect(body.error.code).toBe("CONFLICT");
    expect(body.error.message).toMatch(/only a running saga can be cancelled/);
    expect(body.error.details.outcome).toBe("not-running");
    expect(body.error.details.links.order).toBe(`/v2/orders/${id}`);
  });
});

describe("rate limiting", () => {
  it("answers a burst beyond the key's limit with 429 and Retry-After, never 5xx", async () => {
    const limited = (await createApiKey(gw.redis, PREFIX, "rate test", { ratePerSecond: 2, burst: 10 })).key;
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
    await gw.redis.del(cacheKey(PREFIX, "products"));
    const first = await call("GET", "/v1/products", { "x-api-key": key });
    const missAt = Date.now();
    expect(first.headers.get("x-cache")).toBe("MISS");
    const second = await call("GET", "/v2/products", { "x-api-key": key });
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(((await second.json()) as { items: { price: { currency: string } }[] }).items[0]?.price.currency).toBe("EUR");
    const ttl = await gw.redis.pttl(cacheKey(PREFIX, "products"));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(CACHE_TTL_MS);
    await gw.waitFor("cache expiry", async () => {
      const r = await call("GET", "/v1/products", { "x-api-key": key });
      return r.headers.get("x-cache") === "MISS" ? true : undefined;
    }, 10_000);
    expect(Date.now() - missAt).toBeGreaterThanOrEqual(CACHE_TTL_MS - 100);
  });
});
