/**
 * The services router against a real Redis (registry written by the kit's own heartbeat, launcher
 * hash and control channel) and the instance aggregates in PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LauncherKeys } from "../../services/contracts/discovery.ts";
import { heartbeat } from "../../services/shared/discovery-registry.ts";
import { createDb, type Db } from "../db.ts";
import { createCallerFactory, router } from "../routers/trpc.ts";
import { createServicesRouter } from "../routers/services.ts";
import type { InventoryApi, OrderApi } from "../routers/service-clients.ts";
import { upsertInstanceMinutes } from "../service-map/store.ts";
import { createInstanceDirectory } from "./directory.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

const prefix = `${TEST_CONFIG.redisPrefix}-svc-${randomBytes(3).toString("hex")}`;
const service = `inv-${randomBytes(3).toString("hex")}`;
const redis = new Redis(TEST_CONFIG.redisUrl);
const subscriber = new Redis(TEST_CONFIG.redisUrl);
const pool = new pg.Pool({ connectionString: TEST_CONFIG.databaseUrl, max: 1 });
let db: Db;

const caller = () => createCallerFactory(router({ services: createServicesRouter(() => createInstanceDirectory(redis, prefix, 3000)) }))({
  db, order: {} as OrderApi, inventory: {} as InventoryApi,
});
const record = (n: number) => ({ service, instanceId: `${service}-${n}`, host: "127.0.0.1", port: 4300 + n, version: "1.2.3", pid: 100 + n, startedAt: new Date().toISOString() });

beforeAll(async () => {
  db = createDb(TEST_CONFIG.databaseUrl);
  const now = Date.now();
  await heartbeat(redis, prefix, record(1), now, 3000);
  await heartbeat(redis, prefix, record(2), now - 10_000, 3000); // missed its TTL
  await redis.hset(LauncherKeys.instances(prefix),
    `${service}-1`, JSON.stringify({ service, instanceId: `${service}-1`, port: 4301, state: "running" }),
    `${service}-2`, JSON.stringify({ service, instanceId: `${service}-2`, port: 4302, state: "running" }));
  const bucketMs = now - (now % 60_000);
  await upsertInstanceMinutes(pool, [
    { bucketMs, service, instanceId: `${service}-1`, requests: 7, errors: 1, durationSumUs: 14_000 },
    { bucketMs, service, instanceId: `${service}-2`, requests: 3, errors: 0, durationSumUs: 3_000 },
  ]);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await pool.query("DELETE FROM telemetry.instance_minutes WHERE service_name = $1", [service]);
  await Promise.all([pool.end(), db.$disconnect(), redis.quit(), subscriber.quit()]);
});

describe("services router", () => {
  it("lists instances with health, heartbeat, version and requests served", async () => {
    const { services, registryError } = await caller().services.instances({ window: "5m", search: service });
    expect(registryError).toBeNull();
    const mine = services.find((s) => s.service === service)!;
    expect(mine.instances.map((i) => [i.instanceId, i.health, i.version, i.requests, i.errors, i.avgMs])).toEqual([
      [`${service}-1`, "up", "1.2.3", 7, 1, 2],
      [`${service}-2`, "down", "1.2.3", 3, 0, 1],
    ]);
    expect(mine.instances[0]!.lastHeartbeatAt).not.toBeNull();
  });

  it("pages 1,000 services seen in spans and filters them by name", async () => {
    const many = Array.from({ length: 1_000 }, (_, i) => `${service}-many-${String(i).padStart(4, "0")}`);
    const bucketMs = Date.now() - (Date.now() % 60_000);
    try {
      await upsertInstanceMinutes(pool, many.map((name) => ({ bucketMs, service: name, instanceId: "", requests: 1, errors: 0, durationSumUs: 1_000 })));
      const page3 = await caller().services.instances({ window: "5m", search: `${service}-many-`, page: 3, pageSize: 25 });
      expect(page3).toMatchObject({ page: 3, pages: 40, total: 1_000, pageSize: 25 });
      expect(page3.all).toBeGreaterThanOrEqual(1_001);
      expect(page3.services.map((s) => s.service)).toEqual(many.slice(50, 75));
      expect(page3.services[0]!.instances.map((r) => r.instanceId)).toEqual(["(no instance id)"]);
      const one = await caller().services.instances({ window: "5m", search: many[999]!.toUpperCase() });
      expect(one.services.map((s) => s.service)).toEqual([many[999]]);
    } finally {
      await pool.query("DELETE FROM telemetry.instance_minutes WHERE service_name = ANY($1)", [many]);
    }
  });

  it("publishes stop/start to the launcher, and refuses instances it does not run", async () => {
    const received = vi.fn();
    subscriber.on("message", (_c, m) => received(JSON.parse(m)));
    await subscriber.subscribe(LauncherKeys.control(prefix));
    await expect(caller().services.control({ action: "stop", instanceId: `${service}-1` })).resolves.toEqual({ accepted: true });
    await expect.poll(() => received.mock.calls.length).toBe(1);
    expect(received).toHaveBeenCalledWith({ action: "stop", instanceId: `${service}-1` });
    await expect(caller().services.control({ action: "stop", instanceId: "nope-9" })).rejects.toThrow(/runs no instance/);
    await expect(caller().services.control({ action: "reboot" as "stop", instanceId: `${service}-1` })).rejects.toThrow();
    expect(received).toHaveBeenCalledTimes(1);
  });

  it("remembers a stop asked for (the page shows it as stopping) and forgets it on start", async () => {
    const directory = createInstanceDirectory(redis, prefix, 3000);
    await caller().services.control({ action: "stop", instanceId: `${service}-2` });
    expect(await directory.listStopRequests()).toContain(`${service}-2`);
    await caller().services.control({ action: "start", instanceId: `${service}-2` });
    expect(await directory.listStopRequests()).not.toContain(`${service}-2`);
  });
});
