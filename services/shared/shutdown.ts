/** One thing to close on shutdown. */
type ShutdownStep = { name: string; run: () => Promise<unknown> };

const steps: ShutdownStep[] = [];
const finalSteps: ShutdownStep[] = [];
let shuttingDown = false;

/** If closing hangs (a stuck socket, a job that never finishes) we still exit. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Registers a step for graceful shutdown. Steps run in registration order (register the HTTP
 * server first so no new work arrives, then workers/queues, then the DB); `final` steps (telemetry
 * flush) run after all others so the spans of the last requests are exported.
 */
export function onShutdown(name: string, run: () => Promise<unknown>, options: { final?: boolean } = {}): void {
  (options.final ? finalSteps : steps).push({ name, run });
}

/**
 * Runs every step, logging (not hiding) the ones that fail, then exits. Past `deadlineMs` it logs
 * the step it was waiting for and the steps it never reached, and exits 1 anyway.
 */
export async function shutdown(exitCode = 0, options: { deadlineMs?: number } = {}): Promise<never> {
  shuttingDown = true;
  const deadlineMs = options.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
  const all = [...steps, ...finalSteps];
  let current = 0;
  const deadline = setTimeout(() => {
    const unfinished = all.slice(current).map((step) => step.name);
    console.error(`shutdown: not finished within ${deadlineMs} ms (stuck closing ${unfinished[0]}; never reached: ${unfinished.slice(1).join(", ") || "nothing"}); exiting`);
    process.exit(1);
  }, deadlineMs);
  deadline.unref();
  for (; current < all.length; current++) {
    const step = all[current]!;
    try {
      await step.run();
    } catch (error) {
      console.error(`shutdown: closing ${step.name} failed:`, error);
      exitCode = exitCode || 1;
    }
  }
  process.exit(exitCode);
}

/** SIGTERM/SIGINT start a graceful shutdown; a second signal forces an immediate exit. */
export function installSignalHandlers(): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (shuttingDown) {
        console.error(`${signal} again: forcing exit`);
        process.exit(1);
      }
      console.log(`${signal}: shutting down`);
      void shutdown(0);
    });
  }
}
