/**
 * `npm stop`: stops the Switchyard that `npm start` runs from this checkout. Reads the launcher's
 * pid file (.switchyard/launcher.json), checks it still names that launcher (a stale file is
 * harmless), asks it to stop (SIGTERM: it stops its children gracefully), and forces what is left
 * after a deadline (SIGKILL to the launcher and to each child's process group). Says what it stopped.
 */
import path from "node:path";
import { z } from "zod";
import { commandLine } from "./launcher/port-holders.ts";
import { forgetLauncherRecord, isAlive, isRecordLive, launchedProcesses, readLauncherRecord, stateDir } from "./launcher/launcher-record.ts";
import { ROOT_DIR } from "./launcher/processes.ts";

/** The launcher's own grace for its children is 12 s (scripts/launcher/index.ts); a bit more here. */
const DEADLINE_MS = z.coerce.number().int().positive().default(15_000).parse(process.env.SWITCHYARD_STOP_DEADLINE_MS || undefined);

/** "collector", "order", "dashboard": what a child runs, from its command line. */
function processLabel(pid: number): string {
  const command = commandLine(pid);
  const entry = /(?:services|server)\/([a-z-]+)\/main\.ts/.exec(command)?.[1];
  if (entry) return entry;
  return command.includes("next") ? "dashboard" : `pid ${pid}`;
}

/** "inventory ×2, payment": labels with repeats counted (two instances of one service). */
function summarize(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(", ");
}

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  let left = pids.filter(isAlive);
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter(isAlive);
  }
  return left;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function main(): Promise<number> {
  const dir = stateDir();
  const where = path.relative(process.cwd(), path.join(dir, "launcher.json")) || "launcher.json";
  const record = readLauncherRecord(dir);
  if (!record) {
    console.log(`Switchyard is not running from this checkout (no ${where}).`);
    return 0;
  }
  if (!isRecordLive(record)) {
    await forgetLauncherRecord(dir);
    console.log(`Switchyard is not running: ${where} named launcher pid ${record.pid}, which is gone. Removed the stale file.`);
    return 0;
  }
  if (!commandLine(record.pid).includes("start.ts") && !commandLine(record.pid).includes(ROOT_DIR)) {
    // Same pid and start time but not a launcher: never signal a stranger.
    console.error(`Not stopping pid ${record.pid}: it does not look like Switchyard's launcher (${commandLine(record.pid)}).`);
    return 1;
  }
  const children = launchedProcesses(record.pid);
  const labels = children.map(processLabel);
  console.log(`Stopping Switchyard (launcher pid ${record.pid}, ${children.length} processes)...`);
  signal(record.pid, "SIGTERM");
  let left = await waitGone([record.pid, ...children], DEADLINE_MS);
  if (left.length > 0) {
    console.log(`Still running after ${DEADLINE_MS / 1000} s: ${left.map((pid) => (pid === record.pid ? "launcher" : processLabel(pid))).join(", ")}. Killing.`);
    // Each child leads its own process group (spawned detached): kill the group, helpers included.
    for (const pid of left) signal(pid === record.pid ? pid : -pid, "SIGKILL");
    left = await waitGone(left, 5_000);
  }
  await forgetLauncherRecord(dir);
  if (left.length > 0) {
    console.error(`Could not stop: ${left.map((pid) => `pid ${pid}`).join(", ")}.`);
    return 1;
  }
  console.log(`Stopped Switchyard: the launcher and ${children.length} processes (${summarize(labels)}).`);
  return 0;
}

process.exit(await main());
