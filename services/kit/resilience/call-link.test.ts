import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, Attr, type ChaosExperiment } from "../../contracts/index.ts";
import { setChaosSnapshotForTest } from "../chaos/agent.ts";
import { createServiceClient, toAppError, withFallback } from "../rpc-client.ts";
import { closeHttpServer, initServiceTrpc, startHttpServer } from "../trpc.ts";
import { resetResiliencePoliciesForTest } from "./registry.ts";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

/** A small real service: `failures` answers of 503 before each success, and a NOT_FOUND procedure. */
const { router, procedure } = initServiceTrpc();
let failuresLeft = 0;
let served = 0;
const testRouter = router({
  flaky: router({
    ping: procedure.input(z.object({ n: z.number() })).output(z.object({ n: z.number() })).mutation(({ input }) => {
      served += 1;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new AppError("UNAVAILABLE", "overloaded");
      }
      return { n: input.n };
    }),
    missing: procedure.query(() => {
      served += 1;
      throw new AppError("NOT_FOUND", "no such thing");
    }),
  }),
});

let server: Server;
let url: string;
beforeAll(async () => {
  server = await startHttpServer({ port: 0, router: testRouter });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeHttpServer(server);
  await provider.shutdown();
});
beforeEach(() => {
  exporter.reset();
  resetResiliencePoliciesForTest();
  setChaosSnapshotForTest(null, []);
  failuresLeft = 0;
  served = 0;
});

const FAST = { retryInitialDelayMs: 5, retryMaxDelayMs: 10, timeoutMs: 1_000 };
const byName = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const attr = (span: ReadableSpan | undefined, key: string) => span?.attributes[key];

describe("resilience link", () => {
  it("retries transient answers: one CLIENT span per attempt under the logical call span", async () => {
    const client = createServiceClient<typeof testRouter>(url, { policy: FAST });
    failuresLeft = 2;
    expect(await client.flaky.ping.mutate({ n: 7 })).toEqual({ n: 7 });
    const [call] = byName("call flaky.ping");
    const attempts = byName("flaky.ping").filter((s) => s.kind === 2);
    expect(attempts.map((s) => attr(s, Attr.RETRY_ATTEMPT))).toEqual([1, 2, 3]);
    expect(attempts.every((s) => s.parentSpanContext?.spanId === call!.spanContext().spanId)).toBe(true);
    expect(attr(attempts[0], Attr.RETRY_DELAY_MS)).toBe(0);
    expect(Number(attr(attempts[1], Attr.RETRY_DELAY_MS))).toBeGreaterThan(0);
    expect(attempts.map((s) => s.status.code)).toEqual([2, 2, 0]);
    expect(attempts.every((s) => attr(s, Attr.BREAKER_STATE) === "closed" && attr(s, Attr.BREAKER_NAME) === "flaky")).toBe(true);
    // Every span with the breaker's state names the window the breaker decides over (default 10 s).
    expect([call, ...attempts].map((s) => attr(s, Attr.BREAKER_WINDOW_MS))).toEqual([10_000, 10_000, 10_000, 10_000]);
  });

  it("never retries a business answer", async () => {
    const client = createServiceClient<typeof testRouter>(url, { policy: FAST });
    const error = await client.flaky.missing.query().catch((e: unknown) => e);
    expect(toAppError(error, "flaky").code).toBe("NOT_FOUND");
    expect(served).toBe(1);
  });

  it("opens after minimumCalls failed attempts, short-circuits with a CLIENT span and answers the fallback", async () => {
    const client = createServiceClient<typeof testRouter>(url, { policy: { ...FAST, maxAttempts: 2, minimumCalls: 4, openDurationMs: 60_000, windowMs: 30_000 } });
    failuresLeft = 1_000;
    const fallback = withFallback("payment delayed, try again later", () => ({ n: -1 }));
    expect(await client.flaky.ping.mutate({ n: 1 }, fallback)).toEqual({ n: -1 }); // attempts 1-2
    expect(await client.flaky.ping.mutate({ n: 1 }, fallback)).toEqual({ n: -1 }); // attempts 3-4: opens
    expect(served).toBe(4);
    // Short-circuited: answered from the fallback without a request reaching the service.
    expect(await client.flaky.ping.mutate({ n: 1 }, fallback)).toEqual({ n: -1 });
    expect(served).toBe(4);
    const [transition] = byName("breaker flaky closed→open");
    expect(attr(transition, Attr.BREAKER_TO_STATE)).toBe("open");
    expect(String(attr(transition, Attr.BREAKER_REASON))).toMatch(/failure rate 100%/);
    const rejected = byName("flaky.ping").filter((s) => attr(s, Attr.BREAKER_REJECTED) === true);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.kind).toBe(2);
    expect(attr(rejected[0], Attr.FALLBACK_USED)).toBe("payment delayed, try again later");
    expect(attr(rejected[0], Attr.BREAKER_STATE)).toBe("open");
    expect([attr(transition, Attr.BREAKER_WINDOW_MS), attr(rejected[0], Attr.BREAKER_WINDOW_MS)]).toEqual([30_000, 30_000]);
    // Without a fallback the caller gets UNAVAILABLE at once.
    const error = await client.flaky.ping.mutate({ n: 1 }).catch((e: unknown) => e);
    expect(toAppError(error, "flaky").code).toBe("UNAVAILABLE");
  });

  it("chaos: a down dependency refuses connections before any request, marked on the span", async () => {
    const experiment: ChaosExperiment = {
      id: "exp-down", service: "flaky", dependency: null, fault: "down", rate: 1, latencyMs: 0, queue: null,
      startedAt: new Date().toISOString(), endsAt: null, endedAt: null,
    };
    setChaosSnapshotForTest("order", [experiment]);
    const client = createServiceClient<typeof testRouter>(url, { policy: { ...FAST, maxAttempts: 1 } });
    const error = await client.flaky.ping.mutate({ n: 1 }).catch((e: unknown) => e);
    expect(toAppError(error, "flaky").code).toBe("UNAVAILABLE");
    expect(served).toBe(0);
    const [attempt] = byName("flaky.ping");
    expect(attr(attempt, Attr.CHAOS_EXPERIMENT_ID)).toBe("exp-down");
    expect(attr(attempt, Attr.CHAOS_FAULT)).toBe("down");
    expect(attr(attempt, Attr.ERROR_TYPE)).toBe("ECONNREFUSED");
  });

  it("chaos: a service-level error fault answers 503 from the server, marked on the SERVER-side span", async () => {
    const experiment: ChaosExperiment = {
      id: "exp-err", service: "flaky", dependency: null, fault: "error", rate: 1, latencyMs: 0, queue: null,
      startedAt: new Date().toISOString(), endsAt: null, endedAt: null,
    };
    // The test process plays the `flaky` service (server side) and its own caller.
    setChaosSnapshotForTest("flaky", [experiment]);
    const client = createServiceClient<typeof testRouter>(url, { policy: { ...FAST, maxAttempts: 1 } });
    const error = await client.flaky.ping.mutate({ n: 1 }).catch((e: unknown) => e);
    expect(toAppError(error, "flaky").code).toBe("UNAVAILABLE");
    expect(served).toBe(0);
    const marked = exporter.getFinishedSpans().filter((s) => attr(s, Attr.CHAOS_EXPERIMENT_ID) === "exp-err");
    // The procedure's span in the "sick" service, and the caller's attempt span told by the answer.
    // (no http instrumentation here, so the procedure span is INTERNAL = 0; CLIENT = 2)
    expect(marked.map((s) => s.kind).sort()).toEqual([0, 2]);
    expect(marked.every((s) => attr(s, Attr.CHAOS_FAULT) === "error")).toBe(true);
  });
});
