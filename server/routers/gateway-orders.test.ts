import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGatewayOrderApi } from "./service-clients.ts";

/**
 * The dashboard places orders through the gateway like any client. A stand-in gateway on a local
 * port records what reaches it and answers as the real one does (its error shape, Retry-After).
 */
const KEY = `sy_${"k".repeat(43)}`;
const ORDER_ID = "3f8f8a3e-8a4f-4c1e-9a53-5f2c2b1f0a11";
const TRACE_ID = "a".repeat(32);
type Answer = { status: number; body: unknown; headers?: Record<string, string> };

let server: Server;
let baseUrl: string;
let seen: { method?: string; url?: string; key?: string; body: string }[] = [];
let traceparents: (string | undefined)[] = [];
let answer: Answer;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ method: req.method, url: req.url, key: req.headers["x-api-key"] as string | undefined, body: await readBody(req) });
    traceparents.push(req.headers.traceparent as string | undefined);
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  traceparents = [];
});

const input = { productId: "sku-espresso", quantity: 1, customerId: "c1", style: "hybrid" as const };
const api = (key: string | null = KEY, url = () => baseUrl) => createGatewayOrderApi({ baseUrl: url(), apiKey: async () => key });

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return { code: (error as TRPCError).code, message: (error as TRPCError).message };
}

describe("orders through the gateway", () => {
  it("posts the order to /v2/orders (every status, CONFIRMED too) with the dashboard's key and returns the placed order", async () => {
    answer = {
      status: 201,
      body: { id: ORDER_ID, status: "CONFIRMED", style: "hybrid", reason: null, traceId: TRACE_ID, links: { self: `/v2/orders/${ORDER_ID}` } },
    };
    await expect(api().placeOrder(input)).resolves.toEqual({ orderId: ORDER_ID, status: "CONFIRMED", style: "hybrid", reason: null, traceId: TRACE_ID });
    expect(seen).toEqual([{ method: "POST", url: "/v2/orders", key: KEY, body: JSON.stringify(input) }]);
  });

  it("lists recent orders from GET /v2/orders with the limit asked for, unsampled, in the services' shape", async () => {
    const order = { id: ORDER_ID, customerId: "c1", productId: "sku-espresso", quantity: 1, style: "saga", status: "COMPLETED", reason: null, traceId: TRACE_ID, createdAt: "2026-01-01T00:00:00.000Z", completedAt: "2026-01-01T00:00:01.000Z", recovery: null };
    answer = { status: 200, body: { items: [{ ...order, links: { self: `/v2/orders/${ORDER_ID}` } }], links: { self: "/v2/orders?limit=7" } } };
    await expect(api().listOrders({ limit: 7 })).resolves.toEqual([order]);
    expect(seen.map((s) => [s.method, s.url, s.key])).toEqual([["GET", "/v2/orders?limit=7", KEY]]);
    expect(traceparents[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    answer = { status: 503, body: { error: { code: "UNAVAILABLE", message: "order service down" } } };
    expect(await codeOf(api().listOrders({ limit: 7 }))).toEqual({ code: "SERVICE_UNAVAILABLE", message: "order service down" });
  });

  it("passes the gateway's client errors through with their message", async () => {
    answer = { status: 404, body: { error: { code: "NOT_FOUND", message: "unknown product nope" } } };
    expect(await codeOf(api().placeOrder(input))).toEqual({ code: "NOT_FOUND", message: "unknown product nope" });
    answer = { status: 429, body: { error: { code: "RATE_LIMITED", message: "too many requests" } }, headers: { "retry-after": "2" } };
    expect(await codeOf(api().placeOrder(input))).toEqual({ code: "TOO_MANY_REQUESTS", message: "too many requests (retry after 2 s)" });
  });

  it("says what to do when the key is refused or missing, and calls nothing without one", async () => {
    answer = { status: 401, body: { error: { code: "UNAUTHORIZED", message: "unknown API key" } } };
    const refused = await codeOf(api().placeOrder(input));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toContain("npm start");
    seen = [];
    const missing = await codeOf(api(null).placeOrder(input));
    expect(missing).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(missing.message).toContain("GATEWAY_API_KEY");
    expect(seen).toEqual([]);
  });

  it("reports an unreachable gateway as unavailable, naming its address", async () => {
    const down = await codeOf(api(KEY, () => "http://127.0.0.1:1").getOrder({ orderId: ORDER_ID }));
    expect(down).toEqual({ code: "SERVICE_UNAVAILABLE", message: "The gateway is unreachable at http://127.0.0.1:1" });
  });

  it("rejects an answer that is not an order instead of passing it on", async () => {
    answer = { status: 200, body: { id: ORDER_ID } };
    expect((await codeOf(api().getOrder({ orderId: ORDER_ID }))).code).toBe("BAD_GATEWAY");
  });
});
