/**
 * Resilience against a real payment process: chaos makes payment fail 100 % (set in Redis, picked
 * up live), the caller's breaker opens within the configured calls, the fallback answers without
 * a request, the spans say OPEN; the fault is removed and the breaker goes half-open, then closed.
 * The caller is this test process, traced as service `order`; its spans go to an in-memory
 * exporter and to the real collector, and the breakers page's reconstruction reads them back.
 */
import { randomUUID } from "node:crypto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attr } from "../../contracts/index.ts";
import type { PaymentRouter } from "../../payment/router.ts";
import { startSystem, TEST_CONFIG, type RunningSystem } from "../../../scripts/launcher/index.ts";
import { lastLines, waitFor } from "../../../tests/support/wait-for.ts";
import { createDb } from "../../../server/db.ts";
import { buildBreakers } from "../../../server/breakers/build-breakers.ts";
import { loadBreakerSpans } from "../../../server/breakers/read.ts";
import { startChaosAgent } from "../chaos/agent.ts";
import { ChaosStore } from "../../shared/chaos-store.ts";
import { createServiceClient, withFallback } from "../rpc-client.ts";
import { getResiliencePolicy } from "./registry.ts";

const memory = new InMemorySpanExporter();
let system: RunningSystem;
let provider: NodeTracerProvider;
const redis = new Redis(TEST_CONFIG.redisUrl);
const store = new ChaosStore(redis, TEST_CONFIG.redisPrefix);
const logs: string[] = [];
/** Earlier runs may have left spans in the test database: the reconstruction reads from here on. */
let testStartNs = 0n;

const POLICY = { minimumCalls: 4, maxAttempts: 2, openDurationMs: 1_500, halfOpenPermits: 2, retryInitialDelayMs: 10, retryMaxDelayMs: 40, timeoutMs: 3_000 };
const DELAYED = { delayed: true } as const;

/** Every wait's timeout message ends with what the processes printed last. */
const WITH_LOGS = { context: lastLines(logs, 30) };

/** Payment's answer to a plain request (no breaker in the way): 503 while the fault is on. */
async function rawStatus(): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ orderId: randomUUID() }));
  return (await fetch(`${system.urls.payment}/trpc/payment.getPayment?input=${input}`)).status;
}

const spansNamed = (prefix: string) => memory.getFinishedSpans().filter((s) => s.name.startsWith(prefix));
const attempts = () => memory.getFinishedSpans().filter((s) => s.kind === 2 && s.attributes[Attr.BREAKER_NAME] === "payment");
const attr = (s: ReadableSpan | undefined, key: string) => s?.attributes[key];

beforeAll(async () => {
  system = await startSystem({ ...TEST_CONFIG, processes: ["collector", "payment"], includeDashboard: false, output: (line) => logs.push(line) });
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [Attr.SERVICE_NAME]: "order" }),
    spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${system.urls.collector}/v1/traces` }))],
  });
  provider.register();
  await store.reset();
  testStartNs = BigInt(Date.now()) * 1_000_000n;
  await startChaosAgent({ service: "order", redisUrl: TEST_CONFIG.redisUrl, prefix: TEST_CONFIG.redisPrefix });
});

afterAll(async () => {
  await store.reset().catch(() => undefined);
  redis.disconnect();
  await provider?.shutdown();
  await system?.stop();
});

describe("breaker against a real payment service under chaos", () => {
  it("opens within the configured calls, answers the fallback, and recovers through half-open", async () => {
    const payment = createServiceClient<PaymentRouter>(system.urls.payment, { policy: POLICY });
    const fallback = withFallback("payment delayed, try again later", () => DELAYED);
    const getPayment = () => payment.payment.getPayment.query({ orderId: randomUUID() }, fallback);
    await getPayment();
    const breaker = getResiliencePolicy("payment").breaker;
    expect(breaker.state).toBe("closed");

    const experiment = await store.start({ service: "payment", fault: "error", rate: 1 });
    await waitFor("payment to inject the fault", async () => (await rawStatus()) === 503, WITH_LOGS);

    // minimumCalls = 4 attempts in the window: the healthy call and three failed attempts (75 %):
    // the second failing call's first attempt opens the breaker and its retry is short-circuited.
    expect(await getPayment()).toEqual(DELAYED);
    expect(breaker.state).toBe("closed");
    expect(await getPayment()).toEqual(DELAYED);
    expect(breaker.state).toBe("open");
    const sent = attempts().filter((s) => !attr(s, Attr.BREAKER_REJECTED)).length;
    expect(await getPayment()).toEqual(DELAYED);
    // Answered by the fallback without a request to payment.
    expect(attempts().filter((s) => !attr(s, Attr.BREAKER_REJECTED)).length).toBe(sent);

    const failed = attempts().filter((s) => s.status.code === 2 && !attr(s, Attr.BREAKER_REJECTED));
    expect(failed).toHaveLength(3);
    expect(failed.every((s) => attr(s, Attr.CHAOS_EXPERIMENT_ID) === experiment.id)).toBe(true);
    const [opened] = spansNamed("breaker payment closed→open");
    expect(attr(opened, Attr.BREAKER_REASON)).toMatch(/failure rate 75% >= 50% over 4 calls/);
    const rejected = attempts().filter((s) => attr(s, Attr.BREAKER_REJECTED) === true);
    expect(rejected.length).toBeGreaterThan(0);
    expect(attr(rejected[0], Attr.BREAKER_STATE)).toBe("open");
    expect(attr(rejected[0], Attr.FALLBACK_USED)).toBe("payment delayed, try again later");

    await store.stop(experiment.id);
    await waitFor("payment to stop injecting", async () => (await rawStatus()) !== 503, WITH_LOGS);
    // While open, probes are short-circuited; after openDurationMs two trials close it.
    await waitFor("the breaker to close again", async () => {
      await getPayment();
      return breaker.state === "closed";
    }, WITH_LOGS);
    expect(spansNamed("breaker payment ").map((s) => s.name)).toEqual([
      "breaker payment closed→open",
      "breaker payment open→half_open",
      "breaker payment half_open→closed",
    ]);
  });

  it("the breakers page rebuilds the same history from the stored spans", async () => {
    const db = createDb(TEST_CONFIG.databaseUrl);
    try {
      const toNs = BigInt(Date.now() + 1_000) * 1_000_000n;
      const window = { fromNs: testStartNs, toNs };
      const card = await waitFor("the breaker spans to be stored", async () => {
        const { spans } = await loadBreakerSpans(db, { ...window, limit: 10_000 });
        const found = buildBreakers(spans, window).find((c) => c.key === "order→payment");
        return found && found.transitions.length === 3 ? found : undefined;
      }, WITH_LOGS);
      expect(card.state).toBe("closed");
      expect(card.segments.map((s) => s.state)).toEqual(["closed", "open", "half_open", "closed"]);
      expect(card.failures).toBe(3);
      expect(card.shortCircuits).toBeGreaterThan(0);
      const [opened] = spansNamed("breaker payment closed→open");
      expect(card.transitions[0]!.traceId).toBe(opened!.spanContext().traceId);
    } finally {
      await db.$disconnect();
    }
  });
});
