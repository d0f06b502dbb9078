/**
 * A service's HTTP server at its edges: Host allow-list (DNS rebinding), bounded batches, and error
 * answers that never carry a stack trace or the text of an unexpected error.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "../contracts/index.ts";
import { MAX_TRPC_BATCH_SIZE } from "../shared/trpc-paths.ts";
import { closeHttpServer, initServiceTrpc, startHttpServer } from "./trpc.ts";

const SQL_TEXT = 'relation "orders" does not exist: SELECT * FROM "orders" WHERE id = $1';
const { router, procedure } = initServiceTrpc();
const testRouter = router({
  probe: router({
    ping: procedure.query(() => "pong"),
    broken: procedure.query(() => {
      throw new Error(SQL_TEXT);
    }),
    internal: procedure.query(() => {
      throw new AppError("INTERNAL", `cannot read /srv/app/services/order/db.ts: ${SQL_TEXT}`);
    }),
    missing: procedure.query(() => {
      throw new AppError("NOT_FOUND", "no order o-1");
    }),
    strict: procedure.input(z.object({ n: z.number() })).query(({ input }) => input.n),
  }),
});

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = await startHttpServer({ port: 0, router: testRouter, allowedHosts: ["order"] });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => closeHttpServer(server));

/** GET through node:http, which (unlike fetch) lets a test send any Host header. */
function get(path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: "GET", headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject).end();
  });
}

describe("Host allow-list", () => {
  it("answers loopback names and configured names", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "order:4002"]) {
      const answer = await get("/health", host);
      expect(answer.status, host).toBe(200);
    }
    expect((await get("/trpc/probe.ping", "LOCALHOST.")).status).toBe(200);
  });

  it("refuses a rebound name with 421 before routing, naming ALLOWED_HOSTS", async () => {
    for (const path of ["/health", "/trpc/probe.ping", "/nowhere"]) {
      const answer = await get(path, `evil.example:${port}`);
      expect(answer.status, path).toBe(421);
      expect(answer.body).toContain("ALLOWED_HOSTS");
      expect(answer.body).not.toContain("pong");
    }
  });
});

describe("batches", () => {
  const batch = (size: number) => `/trpc/${Array.from({ length: size }, () => "probe.ping").join(",")}?batch=1&input=${encodeURIComponent("{}")}`;

  it(`serves a batch of ${MAX_TRPC_BATCH_SIZE} and refuses one more with 400`, async () => {
    const allowed = await get(batch(MAX_TRPC_BATCH_SIZE));
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toHaveLength(MAX_TRPC_BATCH_SIZE);
    const refused = await get(batch(MAX_TRPC_BATCH_SIZE + 1));
    expect(refused.status).toBe(400);
    expect(refused.body).not.toContain("pong");
  });
});

describe("error answers", () => {
  type ErrorBody = { error: { message: string; data: Record<string, unknown> } };
  const error = async (path: string) => (JSON.parse((await get(path)).body) as ErrorBody).error;

  it("hide an unexpected error's text and stack behind a ref that the server log carries", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const path of ["/trpc/probe.broken", "/trpc/probe.internal"]) {
        const answer = await error(path);
        expect(answer.message).toMatch(/^internal error \(ref [0-9a-f]{8}\)$/);
        const text = JSON.stringify(answer);
        for (const leak of ["SELECT", "orders", "/srv/", "stack", "at "]) expect(text, `${path}: ${leak}`).not.toContain(leak);
        const ref = /ref ([0-9a-f]{8})/.exec(answer.message)![1]!;
        expect(logged.mock.calls.some((args) => String(args[0]).includes(ref))).toBe(true);
      }
    } finally {
      logged.mockRestore();
    }
  });

  it("keep deliberate messages: AppError codes other than INTERNAL, and input errors", async () => {
    const missing = await error("/trpc/probe.missing");
    expect(missing.message).toBe("no order o-1");
    expect(missing.data).toMatchObject({ code: "NOT_FOUND", appCode: "NOT_FOUND" });
    expect(missing.data).not.toHaveProperty("stack");
    const bad = await error(`/trpc/probe.strict?input=${encodeURIComponent(JSON.stringify({ n: "x" }))}`);
    expect(bad.data).toMatchObject({ code: "BAD_REQUEST" });
    expect(bad.message).toContain("n");
    expect(bad.data).not.toHaveProperty("stack");
  });
});
