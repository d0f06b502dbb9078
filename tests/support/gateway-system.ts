/**
 * What the gateway's integration tests (services/gateway/*.int.test.ts) share: the system started on the test slot (no dashboard),
 * an API key, and small helpers to call the API and wait for a condition with a deadline.
 */
import { Redis } from "ioredis";
import { expect } from "vitest";
import { startSystem, TEST_CONFIG, type RunningSystem, type StartSystemOptions } from "../../scripts/launcher/index.ts";
import { createApiKey } from "../../services/gateway/auth/keys.ts";
import { waitFor } from "./wait-for.ts";

export const PREFIX = TEST_CONFIG.redisPrefix;
export const ORDER = { productId: "sku-filter", quantity: 1, customerId: "gw-test", style: "hybrid" };

export type GatewayTestSystem = {
  system: RunningSystem;
  redis: Redis;
  /** An API key with the default rate limit. */
  key: string;
  call(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<Response>;
  /** Places ORDER through `POST /v1/orders` and expects 201. */
  placeOrder(auth?: Record<string, string>): Promise<{ orderId: string; traceId: string; status: string }>;
  /** `waitFor` (./wait-for.ts) with the processes' last output in its timeout error. */
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
};

/** Starts the system with `env` per process over the test defaults. */
export async function startGatewaySystem(env: StartSystemOptions["env"]): Promise<GatewayTestSystem> {
  const logs: string[] = [];
  const system = await startSystem({
    ...TEST_CONFIG,
    includeDashboard: false,
    // Generous: on a busy 2-core machine a cold service start can take over a minute.
    healthTimeoutMs: 150_000,
    // If start-up outlives the hook, stop what was started instead of leaving it running.
    signal: AbortSignal.timeout(280_000),
    output: (line) => void logs.push(line),
    env,
  });
  const redis = new Redis(TEST_CONFIG.redisUrl);
  const key = (await createApiKey(redis, PREFIX, "gateway test")).key;
  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${system.urls.gateway}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    system,
    redis,
    key,
    call,
    async placeOrder(auth = { "x-api-key": key }) {
      const response = await call("POST", "/v1/orders", auth, ORDER);
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as { orderId: string; traceId: string; status: string };
    },
    waitFor: (what, probe, timeoutMs = 15_000) =>
      waitFor(what, probe, { timeoutMs, context: () => `--- last process output ---\n${logs.slice(-40).join("\n")}` }),
    async stop() {
      await system.stop();
      await redis.quit();
    },
  };
}
