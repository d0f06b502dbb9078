/**
 * Runs a database server the launcher started itself (the embedded PostgreSQL, a redis-server):
 * in its own process group so the terminal's Ctrl-C does not reach it before the services have
 * shut down (it is stopped last, explicitly), and, where util-linux's `setpriv` exists, with a
 * parent-death signal so it never outlives a launcher that was killed outright.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { LineSink } from "./output.ts";

/** A server the launcher started; `stop` is idempotent. */
export type LocalServer = { name: string; pid: number; stop(): Promise<void> };

export type LocalServerSpec = {
  name: string;
  command: string;
  args: string[];
  /** Run as this user (root starting PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
  /** Its clean shutdown: SIGINT for PostgreSQL (fast shutdown), SIGTERM for Redis. */
  stopSignal: NodeJS.Signals;
  /** True once it serves; polled until then. */
  isReady(): Promise<boolean>;
  /** Which of its output lines are worth showing (the rest is kept for a failure message). */
  shows(line: string): boolean;
  sink: LineSink;
  readyTimeoutMs?: number;
};

const STOP_GRACE_MS = 15_000;

/** The first executable called `name` on PATH, or null. */
export function findExecutable(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Starts the server and resolves once `isReady`; on failure it is stopped and the error names its last output. */
export async function startLocalServer(spec: LocalServerSpec): Promise<LocalServer> {
  const setpriv = findExecutable("setpriv");
  const [command, args] = setpriv
    ? [setpriv, ["--pdeathsig", spec.stopSignal.replace(/^SIG/, ""), "--", spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], uid: spec.uid, gid: spec.gid });
  const tail: string[] = [];
  const prefix = `[${spec.name}] `;
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (spec.shows(line)) spec.sink(`${prefix}${line}`);
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let spawnError: Error | null = null;
  child.once("error", (error) => (spawnError = error));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || spawnError) return;
    signalGroup(child, spec.stopSignal);
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
  for (;;) {
    const failure: string | null = spawnError
      ? `could not start ${spec.command}: ${(spawnError as Error).message}`
      : child.exitCode !== null || child.signalCode !== null
        ? `${spec.name} exited (${child.signalCode ?? `code ${child.exitCode}`})`
        : Date.now() > deadline
          ? `${spec.name} did not answer within ${spec.readyTimeoutMs ?? 30_000} ms`
          : null;
    if (failure) {
      await stop();
      throw new Error(`${failure}; its last output:\n${tail.map((line) => `  ${line}`).join("\n")}`);
    }
    if (await spec.isReady().catch(() => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { name: spec.name, pid: child.pid!, stop };
}
