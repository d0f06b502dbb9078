/**
 * The dashboard API at its edges: error answers carry a message and a code, never a stack or the
 * text of an unexpected error; batches are bounded, and the dashboard's own client stays within.
 */
import { createTRPCClient } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { GET } from "../../app/api/trpc/[trpc]/route.ts";
import { dashboardLinks } from "../../app/lib/trpc-links.ts";
import { MAX_TRPC_BATCH_SIZE } from "../../services/shared/trpc-paths.ts";
import type { DashboardContext } from "./trpc.ts";
import { publicProcedure, router } from "./trpc.ts";

const SQL_TEXT = 'Invalid `prisma.span.findMany()` invocation: relation "Span" does not exist at /srv/app/server/store/read.ts:42';

const testRouter = router({
  ok: publicProcedure.input(z.number()).query(({ input }) => input),
  broken: publicProcedure.query(() => {
    throw new Error(SQL_TEXT);
  }),
  missing: publicProcedure.query(() => {
    throw new TRPCError({ code: "NOT_FOUND", message: "no trace abc" });
  }),
  strict: publicProcedure.input(z.object({ limit: z.number().max(10) })).query(({ input }) => input.limit),
});

type ErrorBody = { error: { message: string; data: Record<string, unknown> } };

/** The test router behind the same batch limit as the dashboard's route handler. */
const serve = (req: Request) =>
  fetchRequestHandler({ endpoint: "/api/trpc", req, router: testRouter, maxBatchSize: MAX_TRPC_BATCH_SIZE, createContext: () => ({}) as DashboardContext });

async function call(path: string): Promise<ErrorBody["error"]> {
  const response = await serve(new Request(`http://127.0.0.1:3000/api/trpc/${path}`));
  return ((await response.json()) as ErrorBody).error;
}

afterEach(() => vi.restoreAllMocks());

describe("dashboard error answers", () => {
  it("hide an unexpected error (Prisma's SQL text, paths) and its stack behind a ref the log carries", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await call("broken");
    expect(error.message).toMatch(/^internal error \(ref [0-9a-f]{8}\)$/);
    const text = JSON.stringify(error);
    for (const leak of ["prisma", "Span", "/srv/", "stack"]) expect(text, leak).not.toContain(leak);
    expect(error.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500 });
    const ref = /ref (\w+)/.exec(error.message)![1]!;
    expect(logged.mock.calls.some(([line]) => String(line).includes(ref))).toBe(true);
  });

  it("keep deliberate messages and readable input errors, without a stack", async () => {
    const missing = await call("missing");
    expect(missing.message).toBe("no trace abc");
    expect(missing.data).not.toHaveProperty("stack");
    const bad = await call(`strict?input=${encodeURIComponent(JSON.stringify({ limit: 50 }))}`);
    expect(bad.message).toMatch(/^limit: /);
    expect(bad.data).not.toHaveProperty("stack");
  });
});

describe("dashboard batches", () => {
  const batchUrl = (size: number) =>
    `http://127.0.0.1:3000/api/trpc/${Array.from({ length: size }, () => "breakers.list").join(",")}?batch=1&input=${encodeURIComponent("{}")}`;

  it(`refuses a batch of more than ${MAX_TRPC_BATCH_SIZE} calls with 400 in tRPC's error shape, before running any`, async () => {
    const response = await GET(new Request(batchUrl(200), { headers: { host: "127.0.0.1:3000" } }));
    expect(response.status).toBe(400);
    // One error for the whole request (not an array of per-call answers): nothing ran.
    const body = (await response.json()) as ErrorBody;
    expect(Array.isArray(body)).toBe(false);
    expect(body.error.message).toBe("Batch call exceeds maximum size");
    expect(body.error.data).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("keeps the dashboard's own client within the limit: 50 queries at once all answer", async () => {
    const batchSizes: number[] = [];
    const fetchThroughHandler = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      batchSizes.push(decodeURIComponent(new URL(req.url).pathname).split(",").length);
      return serve(req);
    };
    const client = createTRPCClient<typeof testRouter>({ links: dashboardLinks("http://127.0.0.1:3000/api/trpc", fetchThroughHandler) });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => client.ok.query(i)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(batchSizes.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(MAX_TRPC_BATCH_SIZE);
  });
});
