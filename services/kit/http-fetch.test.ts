/**
 * keepAliveFetch against a real local server: what tRPC and discovery read of an answer, the
 * error shapes they classify (a refused connection, a reset mid-answer), aborts, and that calls
 * share one kept-alive socket.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConnectionRefused } from "./discovery/fetch.ts";
import { keepAliveFetch } from "./http-fetch.ts";

let server: http.Server;
let base: string;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(req.socket);
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url === "/slow") return void setTimeout(() => res.end("{}"), 2_000);
      if (req.url === "/reset") return void (res.writeHead(200, { "content-length": "100" }), res.write("{"), req.socket.destroy());
      res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json", "x-seen": "yes" });
      res.end(JSON.stringify({ method: req.method, body, traceparent: req.headers.traceparent ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("keepAliveFetch", () => {
  it("sends method, headers and body, and answers status, headers and JSON like fetch", async () => {
    const response = await keepAliveFetch(`${base}/trpc/x.y`, { method: "POST", body: '{"a":1}', headers: { traceparent: "00-abc-def-01" } });
    expect([response.ok, response.status, response.headers.get("x-seen")]).toEqual([true, 200, "yes"]);
    expect(await response.json()).toEqual({ method: "POST", body: '{"a":1}', traceparent: "00-abc-def-01" });
    const missing = await keepAliveFetch(new URL(`${base}/missing`));
    expect([missing.ok, missing.status]).toEqual([false, 404]);
  });

  it("reuses one socket for calls one after the other", async () => {
    sockets.clear();
    for (let i = 0; i < 5; i++) await (await keepAliveFetch(`${base}/trpc/x.y`)).json();
    expect(sockets.size).toBe(1);
  });

  it("rejects a refused connection as fetch does: TypeError with the socket error's code as cause", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await keepAliveFetch(`http://127.0.0.1:${port}/trpc/x.y`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(isConnectionRefused(error)).toBe(true);
  });

  it("rejects an answer cut off mid-body as a reset", async () => {
    const error = await keepAliveFetch(`${base}/reset`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("ECONNRESET");
  });

  it("rejects with the signal's reason when aborted, before or during the request", async () => {
    const early = new AbortController();
    early.abort(new Error("gave up early"));
    await expect(keepAliveFetch(`${base}/slow`, { signal: early.signal })).rejects.toThrow("gave up early");
    const late = new AbortController();
    const pending = keepAliveFetch(`${base}/slow`, { signal: late.signal });
    setTimeout(() => late.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});
