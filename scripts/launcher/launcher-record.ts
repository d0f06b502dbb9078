/**
 * The pid file of a running `npm start`: `.switchyard/launcher.json` (or `$SWITCHYARD_STATE_DIR`).
 * `npm stop` reads it; a stale file (the launcher is gone, or its pid now belongs to another
 * process) is recognised by the process start time recorded next to the pid, and is harmless.
 */
import { readFileSync, readdirSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { commandLine } from "./port-holders.ts";
import { ROOT_DIR } from "./processes.ts";

/** Where the launcher keeps its local state (API key, pid file). */
export function stateDir(): string {
  return process.env.SWITCHYARD_STATE_DIR || path.join(ROOT_DIR, ".switchyard");
}

const LauncherRecordSchema = z.object({
  pid: z.number().int().positive(),
  /** Start time of that pid in clock ticks since boot (/proc/<pid>/stat field 22); null off Linux. */
  startTicks: z.string().nullable(),
  startedAt: z.string(),
  ports: z.record(z.string(), z.number().int()),
  dashboardUrl: z.string(),
});
export type LauncherRecord = z.infer<typeof LauncherRecordSchema>;

const recordPath = (dir: string) => path.join(dir, "launcher.json");

/**
 * The fields of /proc/<pid>/stat after the command name, so index 0 is field 3 (state), 1 the
 * parent pid, 19 the start time. Null when the process does not exist or there is no /proc.
 */
export function procStatFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name "(...)" may itself contain spaces and parentheses: cut at the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Start time of process `pid` (clock ticks since boot), or null when it does not exist / no /proc. */
export function processStartTicks(pid: number): string | null {
  return procStatFields(pid)?.[19] ?? null;
}

/**
 * The processes the launcher `pid` started, from /proc ([] where there is none): its direct
 * children except tsx's esbuild helper. (Not "those that load orphan-guard.mjs": `next` rewrites
 * its process title, so the dashboard's command line no longer shows it.)
 */
export function launchedProcesses(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries.map(Number).filter((child) => procStatFields(child)?.[1] === String(pid) && !commandLine(child).includes("esbuild"));
}

/** Whether `pid` runs (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Records this process as the running launcher. */
export async function writeLauncherRecord(info: Omit<LauncherRecord, "pid" | "startTicks" | "startedAt">, dir = stateDir()): Promise<void> {
  const record: LauncherRecord = { pid: process.pid, startTicks: processStartTicks(process.pid), startedAt: new Date().toISOString(), ...info };
  await mkdir(dir, { recursive: true });
  await writeFile(recordPath(dir), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record, but only if it is this process's (a newer launcher may have replaced it). */
export async function removeLauncherRecord(dir = stateDir()): Promise<void> {
  if (readLauncherRecord(dir)?.pid === process.pid) await rm(recordPath(dir), { force: true });
}

/** The recorded launcher, or null when there is no (readable) record. */
export function readLauncherRecord(dir = stateDir()): LauncherRecord | null {
  try {
    return LauncherRecordSchema.parse(JSON.parse(readFileSync(recordPath(dir), "utf8")));
  } catch {
    return null;
  }
}

/** Whether the recorded launcher still runs as the same process (not a reused pid). */
export function isRecordLive(record: LauncherRecord): boolean {
  if (!isAlive(record.pid)) return false;
  return record.startTicks === null || processStartTicks(record.pid) === record.startTicks;
}

/** Deletes a record regardless of whose it is (npm stop, after checking it is stale or stopped). */
export async function forgetLauncherRecord(dir = stateDir()): Promise<void> {
  await rm(recordPath(dir), { force: true });
}
