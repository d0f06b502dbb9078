/**
 * `npm start` on a bare machine (issue 14): nothing answers at the database and Redis URLs, so the
 * launcher runs an embedded PostgreSQL and a redis-server of its own (own ports, own temporary
 * data directory: the machine's PostgreSQL and Redis are never touched), migrates, serves an
 * order end to end, stops them with the system, and finds the data again on the next start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startSystem, TEST_CONFIG, type RunningSystem } from "./index.ts";
import { ensureLocalDependencies, type LocalDependencies } from "./local-dependencies.ts";
import { findRedisServer } from "./embedded-redis.ts";
import { PreflightError } from "./preflight.ts";
import { launchedProcesses } from "./launcher-record.ts";
import { ROOT_DIR } from "./processes.ts";
import { waitFor } from "../../tests/support/wait-for.ts";
import { createFlowProbe } from "../../tests/support/flow-probe.ts";

/** Beside the test slot's other ports (slot N shifts every port by N * 100). */
const SLOT = (TEST_CONFIG.ports.order - 4201) / 100;
const PG_PORT = 5470 + SLOT;
const REDIS_PORT = 6370 + SLOT;
const DATABASE_URL = `postgresql://postgres@127.0.0.1:${PG_PORT}/switchyard_embedded`;
const HAS_REDIS_SERVER = findRedisServer() !== null;
/** Without a redis-server binary the Redis half runs against the machine's Redis. */
const REDIS_URL = HAS_REDIS_SERVER ? `redis://127.0.0.1:${REDIS_PORT}` : TEST_CONFIG.redisUrl;
const PROCESSES = ["collector", "inventory", "payment", "shipping", "order"] as const;

let dir: string;
const logs: string[] = [];
const systems: RunningSystem[] = [];
const dependencies: LocalDependencies[] = [];
const startedPids: number[] = [];

const config = () => ({ ...TEST_CONFIG, databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, redisPrefix: "syembedded" });

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "switchyard-embedded-"));
  // As root PostgreSQL runs as the postgres user, which must traverse the (0700) temp directory.
  await chmod(dir, 0o755);
  expect(await answers(PG_PORT), `port ${PG_PORT} must be free for this test`).toBe(false);
  if (HAS_REDIS_SERVER) expect(await answers(REDIS_PORT), `port ${REDIS_PORT} must be free for this test`).toBe(false);
});

// Whatever happened: stop what the tests started, and kill what would still be left.
afterAll(async () => {
  for (const system of systems) await system.stop().catch(() => undefined);
  for (const started of dependencies) await started.stop().catch(() => undefined);
  for (const pid of startedPids) if (isAlive(pid)) process.kill(-pid, "SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm start on a bare machine", () => {
  let orderId: string;

  it("starts an embedded PostgreSQL (and a redis-server), migrates, serves an order end to end, and stops them with the system", { timeout: 120_000 }, async () => {
    const system = await startSystem({
      ...config(),
      processes: PROCESSES,
      instances: { inventory: 1 },
      healthTimeoutMs: 90_000,
      localDependenciesDir: dir,
      output: (line) => logs.push(line),
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output ---\n${logs.slice(-40).join("\n")}`);
    });
    systems.push(system);
    const said = logs.join("\n");
    expect(said).toMatch(new RegExp(`PostgreSQL: nothing answered at 127\\.0\\.0\\.1:${PG_PORT}; started an embedded PostgreSQL \\d+ there`));
    if (HAS_REDIS_SERVER) expect(said).toMatch(new RegExp(`Redis: nothing answered at 127\\.0\\.0\\.1:${REDIS_PORT}; started .*redis-server there \\(AOF on`));
    expect(existsSync(path.join(dir, "postgres", "PG_VERSION"))).toBe(true);

    const probe = createFlowProbe({ databaseUrl: DATABASE_URL, orderUrl: system.urls.order, collectorUrl: system.urls.collector, logs });
    try {
      const order = await probe.placeOrder({ style: "sync", customerId: "embedded-customer" });
      expect(order.status).toBe("COMPLETED");
      orderId = order.orderId;
      // The trace went through the collector into the embedded database too.
      const spans = await probe.waitForTrace(order.traceId, (all) => all.some((s) => s.name === "order.placeOrder" && s.kind === "SERVER"));
      expect(spans.length).toBeGreaterThan(3);
    } finally {
      await probe.close();
    }

    await system.stop();
    systems.splice(systems.indexOf(system), 1);
    expect(await answers(PG_PORT)).toBe(false);
    if (HAS_REDIS_SERVER) expect(await answers(REDIS_PORT)).toBe(false);
    expect(existsSync(path.join(dir, "postgres", "postmaster.pid"))).toBe(false);
  });

  it("a restart finds the data again; what already answers is used and left alone", { timeout: 60_000 }, async () => {
    expect(orderId, "the first test placed an order").toBeDefined();
    const first = await ensureLocalDependencies(config(), dir, (line) => logs.push(line));
    dependencies.push(first);
    startedPids.push(...first.started.map((server) => server.pid));
    expect(first.started.map((server) => server.name).sort()).toEqual(HAS_REDIS_SERVER ? ["postgres", "redis"] : ["postgres"]);

    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string }>("SELECT status FROM orders.orders WHERE id = $1", [orderId]);
      expect(rows).toEqual([{ status: "COMPLETED" }]);
    } finally {
      await client.end();
    }
    if (HAS_REDIS_SERVER) expect(await redisKeyCount(REDIS_PORT, "syembedded:*")).toBeGreaterThan(0);

    // A second launcher finds both running: starts nothing, and its stop leaves them running.
    const second = await ensureLocalDependencies(config(), dir, (line) => logs.push(line));
    expect(second.started).toEqual([]);
    await second.stop();
    expect(await answers(PG_PORT)).toBe(true);

    await first.stop();
    expect(first.started.every((server) => !isAlive(server.pid))).toBe(true);
    expect(await answers(PG_PORT)).toBe(false);
  });

  it("Ctrl-C to npm start's process group: the services stop first, then its PostgreSQL and Redis; nothing is left", { timeout: 90_000 }, async () => {
    const env = {
      ...process.env,
      SWITCHYARD_STATE_DIR: dir,
      FIXTURE_PROCESSES: "collector",
      FIXTURE_DATABASE_URL: DATABASE_URL,
      FIXTURE_REDIS_URL: REDIS_URL,
      FIXTURE_LOCAL_DEPENDENCIES_DIR: dir,
    };
    // detached: it leads a process group, as a shell's foreground job does; Ctrl-C signals the group.
    const launcher = spawn(process.execPath, ["--import", "tsx", path.join(ROOT_DIR, "scripts/launcher/testing/launch.ts")], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    startedPids.push(launcher.pid!);
    let output = "";
    launcher.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    launcher.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => launcher.once("exit", (code) => resolve(code)));
    await waitFor("the launcher to start", async () => output.includes("Switchyard is running") || launcher.exitCode !== null, 60_000);
    expect(output).toMatch(/started an embedded PostgreSQL \d+ there/);
    const servers = launchedProcesses(launcher.pid!).filter((pid) => /postgres|redis-server/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8")));
    expect(servers.length).toBe(HAS_REDIS_SERVER ? 2 : 1);

    process.kill(-launcher.pid!, "SIGINT");
    expect(await exited, output).toBe(0);
    expect(output).toMatch(/\[collector\][^\n]*SIGTERM: shutting down/);
    expect(servers.filter(isAlive)).toEqual([]);
    expect(await answers(PG_PORT)).toBe(false);
    if (HAS_REDIS_SERVER) expect(await answers(REDIS_PORT)).toBe(false);
  });

  it("without a redis-server it names the three ways to get a Redis, and starts nothing", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const attempt = ensureLocalDependencies({ ...config(), redisUrl: `redis://127.0.0.1:${REDIS_PORT}` }, dir, () => undefined);
      await expect(attempt).rejects.toBeInstanceOf(PreflightError);
      await expect(attempt).rejects.toThrow(/docker-compose up -d redis[\s\S]*apt-get install redis-server[\s\S]*REDIS_URL=/);
    } finally {
      process.env.PATH = path;
    }
    expect(await answers(PG_PORT)).toBe(false);
  });
});

/** KEYS over a raw socket (RESP): enough to see the AOF brought the queues' data back. */
function redisKeyCount(port: number, pattern: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let reply = "";
    socket.once("connect", () => socket.write(`*2\r\n$4\r\nKEYS\r\n$${pattern.length}\r\n${pattern}\r\n`));
    socket.on("data", (data) => {
      reply += data.toString();
      const count = /^\*(\d+)\r\n/.exec(reply);
      if (count) {
        socket.end();
        resolve(Number(count[1]));
      }
    });
    socket.once("error", reject);
  });
}
