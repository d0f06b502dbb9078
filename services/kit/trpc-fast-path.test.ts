/**
 * The fast path answers a JSON mutation exactly as tRPC's own node handler does (status, headers
 * that matter, body), and leaves every other shape of call to that handler.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../contracts/index.ts";
import { TRPC_BASE_PATH } from "../shared/trpc-paths.ts";
import { initServiceTrpc } from "./trpc.ts";
import { createTrpcMutationFastPath } from "./trpc-fast-path.ts";

const { router, procedure } = initServiceTrpc();
const testRouter = router({
  probe: router({
    echo: procedure.input(z.object({ n: z.number() })).output(z.object({ twice: z.number() })).mutation(({ input }) => ({ twice: input.n * 2 })),
    none: procedure.mutation(() => null),
    refused: procedure.input(z.object({ n: z.number() })).mutation(() => {
      throw new AppError("CONFLICT", "already charged");
    }),
    broken: procedure.mutation(() => {
      throw new Error('relation "orders" does not exist');
    }),
    read: procedure.query(() => "a query"),
  }),
});

let fastCalls = 0;
const servers: http.Server[] = [];
const ports = { fast: 0, trpc: 0 };

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const trpc = createHTTPHandler({ router: testRouter, basePath: `${TRPC_BASE_PATH}/` });
  const fast = createTrpcMutationFastPath(testRouter);
  ports.trpc = await listen((req, res) => void trpc(req, res));
  ports.fast = await listen((req, res) => {
    const handled = fast(req, res, (req.url ?? "").split("?")[0]!);
    if (handled) fastCalls++;
    else void trpc(req, res);
  });
});
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

type Answer = { status: number; contentType: string | undefined; vary: string | undefined; body: unknown };

function post(port: number, path: string, body: string, contentType = "application/json"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": contentType, "content-length": Buffer.byteLength(body) } }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () =>
        // An unexpected error's reference is random per answer.
        resolve({ status: response.statusCode!, contentType: response.headers["content-type"], vary: response.headers.vary, body: JSON.parse(text.replace(/ref [0-9a-f]{8}/g, "ref <ref>")) }),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** The same request to both servers: their answers must be equal. */
async function both(path: string, body: string, contentType?: string): Promise<Answer> {
  const [fast, trpc] = await Promise.all([post(ports.fast, path, body, contentType), post(ports.trpc, path, body, contentType)]);
  expect(fast).toEqual(trpc);
  return fast;
}

describe("tRPC mutation fast path", () => {
  it.each([
    ["a result", "/trpc/probe.echo", '{"n":21}', 200],
    ["a null result", "/trpc/probe.none", "", 200],
    ["an input that fails validation", "/trpc/probe.echo", '{"n":"x"}', 400],
    ["malformed JSON", "/trpc/probe.echo", '{"n":', 400],
    ["an application error", "/trpc/probe.refused", '{"n":1}', 409],
    ["an unexpected error (its text hidden)", "/trpc/probe.broken", "{}", 500],
  ])("answers %s as tRPC's handler does, without it", async (_what, path, body, status) => {
    const before = fastCalls;
    const answer = await both(path, body);
    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe("application/json");
    expect(fastCalls).toBe(before + 1);
  });

  it("answers data in tRPC's envelope", async () => {
    expect((await both("/trpc/probe.echo", '{"n":21}')).body).toEqual({ result: { data: { twice: 42 } } });
  });

  it.each([
    ["a query", "/trpc/probe.read", "{}", undefined],
    ["an unknown procedure", "/trpc/probe.nothing", "{}", undefined],
    ["a batch", "/trpc/probe.echo?batch=1", '{"0":{"n":1}}', undefined],
    ["another content type", "/trpc/probe.echo", '{"n":1}', "text/plain"],
  ])("leaves %s to tRPC's handler", async (_what, path, body, contentType) => {
    const before = fastCalls;
    await both(path, body, contentType);
    expect(fastCalls).toBe(before);
  });
});
