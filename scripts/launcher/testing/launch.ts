/**
 * A launcher process for the lifecycle tests: `runLauncher` (what `npm start` runs) on the test
 * system's ports, database and Redis prefix, with only the processes in FIXTURE_PROCESSES.
 */
import { TEST_CONFIG, type ProcessName } from "../index.ts";
import { runLauncher } from "../run.ts";

const processes = (process.env.FIXTURE_PROCESSES ?? "collector,payment").split(",") as ProcessName[];
await runLauncher({
  databaseUrl: TEST_CONFIG.databaseUrl,
  redisUrl: TEST_CONFIG.redisUrl,
  redisPrefix: TEST_CONFIG.redisPrefix,
  ports: TEST_CONFIG.ports,
  instances: TEST_CONFIG.instances,
  processes,
  migrate: false,
});
