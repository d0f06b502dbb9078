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

/** Runs every step, logging (not hiding) the ones that fail, then exits. */
export async function shutdown(exitCode = 0): Promise<never> {
  shuttingDown = true;
  const deadline = setTimeout(() => {
    console.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  for (const step of [...steps, ...finalSteps]) {
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
