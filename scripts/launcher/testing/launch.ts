/**
 * A launcher process for the lifecycle tests: `runLauncher` (what `npm start` runs) on the test
 * system's ports, database and Redis prefix, with only the processes in FIXTURE_PROCESSES
 * (FIXTURE_DATABASE_URL, FIXTURE_REDIS_URL and FIXTURE_LOCAL_DEPENDENCIES_DIR for embedded.int.test.ts).
 */
import { TEST_CONFIG, type ProcessName } from "../index.ts";
import { runLauncher } from "../run.ts";

const processes = (process.env.FIXTURE_PROCESSES ?? "collector,payment").split(",") as ProcessName[];
await runLauncher({
  databaseUrl: process.env.FIXTURE_DATABASE_URL ?? TEST_CONFIG.databaseUrl,
  redisUrl: process.env.FIXTURE_REDIS_URL ?? TEST_CONFIG.redisUrl,
  redisPrefix: TEST_CONFIG.redisPrefix,
  ports: TEST_CONFIG.ports,
  instances: TEST_CONFIG.instances,
  processes,
  migrate: false,
  // The bare-machine test (embedded.int.test.ts): start what does not answer, data here.
  localDependenciesDir: process.env.FIXTURE_LOCAL_DEPENDENCIES_DIR || undefined,
});
