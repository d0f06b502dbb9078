/**
 * The fault matrix's Redis scenario: the system runs on a redis-server of this test's own (AOF on,
 * its own port and directory, so the machine's Redis is untouched), which is stopped while
 * orders of every style are placed and started again. Every order must end terminal with
 * consistent effects, like every other fault (scripts/chaos/matrix.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAST_RECOVERY_ENV, openMatrixHarness, runScenario, type FaultScenario, type MatrixHarness } from "../../scripts/chaos/matrix.ts";
import { TEST_CONFIG, type RunningSystem } from "../../scripts/launcher/index.ts";
import { waitFor } from "../support/wait-for.ts";
import { startTestSystem } from "../support/start-system.ts";

const PROCESSES = ["collector", "inventory", "payment", "shipping", "order", "notification", "analytics"] as const;
/** Beside the test slot's other ports (slot N shifts every port by N * 100). */
const REDIS_PORT = 6390 + (TEST_CONFIG.ports.order - 4201) / 100;
const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;

let dir: string;
let redisServer: ChildProcess | null = null;
let system: RunningSystem;
let harness: MatrixHarness;
let closeHarness: (() => Promise<void>) | undefined;
const logs: string[] = [];

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

async function startRedis(): Promise<void> {
  const args = ["--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""];
  const child = spawn("redis-server", args, { stdio: "ignore" });
  redisServer = child;
  await waitFor(`redis-server on ${REDIS_PORT} to answer`, async () => {
    if (child.exitCode !== null) throw new Error(`redis-server on ${REDIS_PORT} exited with ${child.exitCode}`);
    return answers(REDIS_PORT);
  }, 10_000);
}

/** SIGTERM: redis-server flushes its AOF and exits, as a restarted Redis would. */
async function stopRedis(): Promise<void> {
  const child = redisServer;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  redisServer = null;
}

/** How long Redis stays away: the fault's length (placements that need Redis wait it out). */
const OUTAGE_MS = 3_000;

const REDIS_RESTART: FaultScenario = {
  name: "Redis restarted",
  inject: stopRedis,
  // Redis comes back by itself after the outage, whether or not the placements have answered
  // (some wait for it: a credit-check request cannot be sent without it).
  midFlight: async () => {
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await startRedis();
  },
  remove: async () => {
    if (!redisServer) await startRedis();
  },
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "switchyard-redis-"));
  await startRedis();
  system = await startTestSystem({ redisUrl: REDIS_URL, processes: PROCESSES, env: { order: FAST_RECOVERY_ENV } }, logs);
  ({ harness, close: closeHarness } = await openMatrixHarness(system, logs));
  // One order first, so the order service has its price copy before Redis goes away.
  await harness.placeOrder({ style: "sync", productId: "sku-espresso", customerId: "redis-warm-up", quantity: 1 });
}, 300_000);

afterAll(async () => {
  await closeHarness?.();
  await system?.stop();
  await stopRedis();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("fault matrix: Redis", () => {
  it("every order of every style ends terminal, with consistent effects, when Redis restarts mid-flight", { timeout: 240_000 }, async () => {
    const { rows, problems } = await runScenario(harness, REDIS_RESTART, { perStyle: 2, settleMs: 150_000 });
    console.table(rows);
    expect(problems, logs.slice(-40).join("\n")).toEqual([]);
    expect(rows.every((row) => row.stranded === 0 && row.terminal === row.placed)).toBe(true);
  });
});
