/**
 * Starts the test system for a cross-service test with every process line collected in `logs`,
 * and a start-up failure that shows the processes' last output (the reason is usually there).
 */
import { startSystem, TEST_CONFIG, type RunningSystem, type StartSystemOptions } from "../../scripts/launcher/index.ts";

/** `startSystem` on the test config (overridable), generous health deadline, output into `logs`. */
export function startTestSystem(options: Omit<StartSystemOptions, "output">, logs: string[]): Promise<RunningSystem> {
  return startSystem({ ...TEST_CONFIG, healthTimeoutMs: 180_000, ...options, output: (line) => logs.push(line) }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- process output ---\n${logs.slice(-60).join("\n")}`);
  });
}
