/**
 * The chaos store against a real Redis: round-trip of experiments, stop/reset/expiry, and the
 * agent picking a change up live through pub/sub (no restart, no waiting for the poll).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { TEST_CONFIG } from "../../../scripts/launcher/test-config.ts";
import { clientFaultsFor, getConsumerFault, serverFaults, startChaosAgent } from "./agent.ts";
import { ChaosStore, chaosKeys, isExperimentActive } from "../../shared/chaos-store.ts";
import { waitFor } from "../../../tests/support/wait-for.ts";

const prefix = `${TEST_CONFIG.redisPrefix}-chaos`;
const redis = new Redis(TEST_CONFIG.redisUrl);
const store = new ChaosStore(redis, prefix);

beforeAll(async () => {
  await redis.del(chaosKeys(prefix).experiments);
});
afterAll(async () => {
  await redis.del(chaosKeys(prefix).experiments);
  redis.disconnect();
});

describe("ChaosStore", () => {
  it("stores, lists, stops and resets experiments", async () => {
    const down = await store.start({ service: "payment", fault: "down" });
    const slow = await store.start({ service: "order", dependency: "payment", fault: "latency", latencyMs: 300, rate: 0.5 });
    const listed = await store.list();
    expect(listed.map((e) => e.id).sort()).toEqual([down.id, slow.id].sort());
    expect(listed.find((e) => e.id === slow.id)).toEqual(slow);
    expect(down).toMatchObject({ service: "payment", dependency: null, fault: "down", rate: 1, endedAt: null });

    const stopped = await store.stop(down.id);
    expect(stopped.endedAt).not.toBeNull();
    expect(await store.stop(down.id)).toEqual(stopped);
    expect(await store.reset()).toBe(1);
    expect((await store.list()).every((e) => !isExperimentActive(e))).toBe(true);
    await expect(store.stop("exp-nope")).rejects.toThrow(/no chaos experiment/);
  });

  it("rejects invalid experiments and stores nothing", async () => {
    const before = (await store.list()).length;
    await expect(store.start({ service: "payment", fault: "latency" })).rejects.toBeInstanceOf(ZodError);
    await expect(store.start({ service: "notification", fault: "poison" })).rejects.toBeInstanceOf(ZodError);
    await expect(store.start({ service: "Payment!", fault: "error" })).rejects.toBeInstanceOf(ZodError);
    expect((await store.list()).length).toBe(before);
  });

  it("ends an experiment by itself at its planned end", async () => {
    const now = Date.now();
    const brief = await store.start({ service: "payment", fault: "error", durationSec: 1 }, now);
    expect(isExperimentActive((await store.list(now)).find((e) => e.id === brief.id)!, now)).toBe(true);
    const later = (await store.list(now + 1_001)).find((e) => e.id === brief.id)!;
    expect(later.endedAt).toBe(brief.endsAt);
  });

  it("reaches a running agent live, for clients, servers and consumers", async () => {
    await startChaosAgent({ service: "order", redisUrl: TEST_CONFIG.redisUrl, prefix });
    expect(clientFaultsFor("payment")).toEqual([]);
    const link = await store.start({ service: "order", dependency: "payment", fault: "error", rate: 0.3 });
    const found = await waitFor("the agent to see the link fault", () => clientFaultsFor("payment")[0]);
    expect(found).toEqual({ experimentId: link.id, fault: "error", rate: 0.3, latencyMs: 0 });
    const own = await store.start({ service: "order", fault: "latency", latencyMs: 50 });
    await waitFor("the server fault", () => serverFaults().find((f) => f.experimentId === own.id));
    const poison = await store.start({ service: "order", fault: "poison", queue: "credit-check-replies" });
    await waitFor("the consumer fault", () => getConsumerFault("order", "credit-check-replies")?.experimentId === poison.id);
    expect(getConsumerFault("order", "other-queue")).toBeNull();
    await store.reset();
    await waitFor("reset to clear every fault", () => clientFaultsFor("payment").length === 0 && serverFaults().length === 0);
  });
});
