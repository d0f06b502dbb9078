import { spawn, type ChildProcess } from "node:child_process";
import { pipeLines, prefixFor, type LineSink } from "./output.ts";
import type { ProcessSpec } from "./processes.ts";

const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 10_000;
/** A child that ran this long before dying was healthy: its next restart is immediate-ish again. */
const STABLE_AFTER_MS = 30_000;

/**
 * Runs one child process, prefixes its output, and restarts it with exponential backoff when it
 * exits while it was not asked to. Each child leads its own process group so `next` and anything
 * else it spawns is signalled together.
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly prefix: string;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly env: Record<string, string>,
    index: number,
    private readonly sink: LineSink,
  ) {
    this.prefix = prefixFor(spec.label ?? spec.name, index);
  }

  /** Spawns the child (again). */
  start(): void {
    this.stopping = false;
    const startedAt = Date.now();
    // stdin: a pipe this launcher never writes to. Its EOF tells the child the launcher is gone,
    // however the launcher died (see orphan-guard.mjs).
    const child = spawn(this.spec.command, this.spec.args, {
      env: { ...process.env, ...this.env, SWITCHYARD_LAUNCHER_PIPE: "stdin" },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stdin!.on("error", () => {}); // EPIPE after the child exited: nothing to tell it any more
    this.child = child;
    pipeLines(child.stdout!, this.prefix, this.sink);
    pipeLines(child.stderr!, this.prefix, this.sink);
    child.once("error", (error) => this.sink(`${this.prefix}could not start: ${error.message}`));
    child.once("exit", (code, signal) => this.onExit(startedAt, code, signal));
  }

  private onExit(startedAt: number, code: number | null, signal: NodeJS.Signals | null): void {
    this.child = null;
    if (this.stopping) return;
    if (Date.now() - startedAt > STABLE_AFTER_MS) this.restarts = 0;
    const delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** this.restarts, MAX_RESTART_DELAY_MS);
    this.restarts += 1;
    this.sink(`${this.prefix}exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.start(), delay);
  }

  /** SIGTERM to the child's group, SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    this.signal(child, "SIGTERM");
    const timer = setTimeout(() => {
      this.sink(`${this.prefix}did not stop within ${graceMs} ms; killing it`);
      this.signal(child, "SIGKILL");
    }, graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILL, no restart: the process dies without any shutdown (no deregistration, no flush). */
  async kill(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    this.signal(child, "SIGKILL");
    await exited;
  }

  /** True while the child runs (or is about to be restarted after a crash). */
  get isRunning(): boolean {
    return !this.stopping;
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      // Negative pid: the whole group this child leads (it was spawned detached).
      process.kill(-child.pid!, signal);
    } catch (error) {
      // ESRCH: the group is already gone, which is what we wanted.
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
}
