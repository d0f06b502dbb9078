/**
 * The launcher never leaves orphans (issue 15): children die with it whatever killed it, `npm stop`
 * stops a running Switchyard (and copes with none or a stale pid file), `npm start` names who holds
 * its ports, and a process whose shutdown step hangs still exits within its deadline.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";
import { TEST_CONFIG } from "./index.ts";
import { launchedProcesses, procStatFields } from "./launcher-record.ts";
import { ROOT_DIR } from "./processes.ts";
import { waitFor } from "../../tests/support/wait-for.ts";

const STATE_DIR = mkdtempSync(path.join(tmpdir(), "switchyard-lifecycle-"));
const PROCESSES = ["collector", "payment"] as const;
const PORTS = PROCESSES.map((name) => TEST_CONFIG.ports[name]);
const ENV = { ...process.env, SWITCHYARD_STATE_DIR: STATE_DIR, FIXTURE_PROCESSES: PROCESSES.join(",") };
const launchers: ChildProcess[] = [];

afterAll(() => {
  for (const launcher of launchers) if (launcher.exitCode === null) launcher.kill("SIGTERM");
});

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function run(script: string, env: NodeJS.ProcessEnv = ENV): Run {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT_DIR, script)], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Starts the fixture launcher and waits until it says it runs. */
async function startLauncher(): Promise<Run> {
  const launcher = run("scripts/launcher/testing/launch.ts");
  launchers.push(launcher.child);
  await waitFor("the launcher to start", () => launcher.output().includes("Switchyard is running") || launcher.child.exitCode !== null, 90_000);
  expect(launcher.output()).toContain("Switchyard is running");
  return launcher;
}

/** Running, not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  const state = procStatFields(pid)?.[0];
  return state !== undefined && state !== "Z";
};

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function allPortsFree(): Promise<boolean> {
  return (await Promise.all(PORTS.map(portFree))).every(Boolean);
}

describe("the launcher's children never outlive it", () => {
  it("SIGKILL to the launcher: every child gone within 5 s, ports free, and a new start succeeds", { timeout: 180_000 }, async () => {
    const first = await startLauncher();
    const children = launchedProcesses(first.child.pid!);
    expect(children.length).toBe(PROCESSES.length);

    // A second start finds the ports busy and names the holder, offering npm stop.
    const second = run("scripts/launcher/testing/launch.ts");
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/collector \(port \d+, held by pid \d+: .*server\/collector\/main\.ts/);
    expect(second.output()).toContain("npm stop");

    first.child.kill("SIGKILL");
    const killedAt = Date.now();
    await waitFor("the children to exit", () => children.every((pid) => !alive(pid)), 5_000);
    let free = false;
    while (!free && Date.now() - killedAt < 5_000) free = await allPortsFree();
    expect(free).toBe(true);

    // The pid file the killed launcher left is stale now, and harmless: start again, then npm stop.
    const again = await startLauncher();
    const againChildren = launchedProcesses(again.child.pid!);
    const stop = run("scripts/stop.ts");
    expect(await stop.exited).toBe(0);
    expect(stop.output()).toMatch(/Stopped Switchyard: the launcher and 2 processes \((collector|payment), (collector|payment)\)/);
    expect(again.child.exitCode ?? (await again.exited)).toBe(0);
    expect(againChildren.every((pid) => !alive(pid))).toBe(true);
    expect(await allPortsFree()).toBe(true);
    expect(existsSync(path.join(STATE_DIR, "launcher.json"))).toBe(false);
  });
});

describe("npm stop", () => {
  it("says so when nothing runs", async () => {
    const stop = run("scripts/stop.ts");
    expect(await stop.exited).toBe(0);
    expect(stop.output()).toMatch(/not running from this checkout/);
  });

  it("removes a stale pid file without signalling anything", async () => {
    const gone = spawn("true");
    await new Promise((r) => gone.once("exit", r));
    const file = path.join(STATE_DIR, "launcher.json");
    writeFileSync(file, JSON.stringify({ pid: gone.pid, startTicks: "1", startedAt: new Date().toISOString(), ports: {}, dashboardUrl: "http://127.0.0.1:3000" }));
    const stop = run("scripts/stop.ts");
    expect(await stop.exited).toBe(0);
    expect(stop.output()).toMatch(new RegExp(`named launcher pid ${gone.pid}, which is gone. Removed the stale file`));
    expect(existsSync(file)).toBe(false);
  });
});

describe("shutdown deadline", () => {
  it("a process whose shutdown step hangs exits within its deadline and names what it could not finish", async () => {
    const started = Date.now();
    const proc = run("scripts/launcher/testing/hanging-shutdown.ts", { ...process.env, DEADLINE_MS: "300" });
    expect(await proc.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(proc.output()).toMatch(/not finished within 300 ms \(stuck closing stuck step; never reached: later step\)/);
  });
});
