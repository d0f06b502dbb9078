import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollectorRouter } from "./collector.ts";
import { createCallerFactory, type DashboardContext } from "./trpc.ts";

/** A stand-in collector answering /health as the real one does (server/collector/http/routes.ts). */
let server: Server;
let baseUrl: string;
let health: { status: number; body: unknown };

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === "/health" ? health.status : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(health.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const caller = (url: () => string) => createCallerFactory(createCollectorRouter(url))({} as DashboardContext);

describe("collector.forwarding", () => {
  it("passes on the collector's forwarding counters", async () => {
    const forwarding = {
      enabled: true, url: "http://jaeger:4318/v1/traces", state: "retrying", bufferedSpans: 40, bufferedBytes: 4000, forwardedSpans: 1200,
      droppedSpans: 7, failedSpans: 2, retries: 3, lastError: "cannot reach the remote: ECONNREFUSED", lastErrorAt: "2026-01-01T00:00:00.000Z", lastForwardAt: null,
    };
    health = { status: 200, body: { status: "ok", forwarding } };
    const answer = await caller(() => baseUrl).forwarding();
    expect(answer.error).toBeNull();
    expect(answer.forwarding).toMatchObject({ enabled: true, droppedSpans: 7, failedSpans: 2, forwardedSpans: 1200, state: "retrying" });
  });

  it("says when forwarding is off, and when the collector is unhealthy or away, without throwing", async () => {
    health = { status: 200, body: { status: "ok", forwarding: { enabled: false } } };
    expect(await caller(() => baseUrl).forwarding()).toEqual({ forwarding: { enabled: false }, error: null });
    health = { status: 503, body: { status: "unavailable", error: "database unreachable" } };
    expect(await caller(() => baseUrl).forwarding()).toEqual({ forwarding: null, error: "collector health: HTTP 503" });
    const answer = await caller(() => "http://127.0.0.1:1").forwarding();
    expect(answer.forwarding).toBeNull();
    expect(answer.error).toMatch(/^collector unreachable/);
  });
});
