/**
 * The launcher's foreground life, shared by `npm start` (scripts/start.ts) and the tests that
 * start a launcher process of their own: start the system, record the pid file for `npm stop`,
 * print where things are, stop everything on SIGINT/SIGTERM (a second signal exits at once).
 */
import { describeApiKey, PreflightError, startSystem, type RunningSystem, type StartSystemOptions } from "./index.ts";
import { removeLauncherRecord, writeLauncherRecord } from "./launcher-record.ts";

/** Runs Switchyard in the foreground until a signal; never returns normally. */
export async function runLauncher(options: Omit<StartSystemOptions, "signal">): Promise<void> {
  let system: RunningSystem | null = null;
  let stopping = false;
  const startup = new AbortController();

  const stopAndExit = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping Switchyard...`);
    // Still starting: abort, and startSystem stops what it had started before rejecting.
    if (!system) return startup.abort();
    await system.stop();
    await removeLauncherRecord().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", (signal) => void stopAndExit(signal));
  process.on("SIGTERM", (signal) => void stopAndExit(signal));

  try {
    system = await startSystem({ ...options, signal: startup.signal });
    // For `npm stop` (and for the next `npm start`, to recognise its own processes).
    await writeLauncherRecord({ ports: system.config.ports, dashboardUrl: system.urls.dashboard });
    console.log(`\nSwitchyard is running: ${system.urls.dashboard}  (stop: Ctrl-C, or npm stop in another terminal)`);
    console.log(`API gateway: ${system.urls.gateway}/v1 (and /v2)`);
    if (system.apiKey) console.log(describeApiKey(system.apiKey).join("\n"));
    console.log("");
  } catch (error) {
    if (stopping) process.exit(0);
    // A missing dependency or a busy port is the user's to fix: say what and how, no stack trace.
    const message = error instanceof PreflightError || error instanceof Error ? error.message : String(error);
    console.error(`\nSwitchyard could not start:\n${message}`);
    process.exit(1);
  }
}
