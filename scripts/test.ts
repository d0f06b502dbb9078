/**
 * `npm test`: the whole suite, in the order a failure is cheapest to find.
 *   1. prepare the test database `switchyard_test` (drop, create, migrate) — never the demo's
 *   2. `tsc --noEmit` over the whole tree (the compiler holds rules too: a service's client knows
 *      only its own schema's tables)
 *   3. vitest: unit project, then integration project (real Redis + PostgreSQL)
 *   4. the dashboard's production build (`next build`, skipped when current), then Playwright end-to-end in Debian's Chromium
 * Prints one closing line `N passed, N failed` summed over every runner.
 * Flags: --skip-e2e, --only-e2e.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { Redis } from "ioredis";
import { z } from "zod";
import { TEST_CONFIG } from "./launcher/test-config.ts";
import { migrateDatabase, recreateDatabase } from "./launcher/database.ts";
import { ensureDashboardBuild } from "./launcher/dashboard-build.ts";
import { ROOT_DIR } from "./launcher/processes.ts";

const args = new Set(process.argv.slice(2));
const ARTIFACTS = "artifacts";

type Counts = { passed: number; failed: number; skipped: number };

/** Runs a command with inherited output; resolves its exit code. */
function run(cmd: string, argv: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const VitestReportSchema = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number().optional(),
});

async function readVitestCounts(file: string): Promise<Counts> {
  const report = VitestReportSchema.parse(JSON.parse(await readFile(file, "utf8")));
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  };
}

const PlaywrightReportSchema = z.object({
  stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }),
});

async function readPlaywrightCounts(file: string): Promise<Counts> {
  const { stats } = PlaywrightReportSchema.parse(JSON.parse(await readFile(file, "utf8")));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

/** The counts of a stage that runs no tests (it fails as a whole or not at all). */
const none = async (): Promise<Counts> => ({ passed: 0, failed: 0, skipped: 0 });

/** Runs one stage; a crash before a report exists counts as one failure. */
async function stage(name: string, runStage: () => Promise<number>, read: () => Promise<Counts>): Promise<Counts> {
  console.log(`\n=== ${name} ===`);
  const code = await runStage();
  const counts = await read().catch(() => ({ passed: 0, failed: 0, skipped: 0 }));
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

/** Deletes every key under the test prefix (queues, registry, chaos settings of an earlier run). */
async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  // Fresh reports only: a runner that crashes before writing must not be credited with old passes.
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
  const env = { DATABASE_URL: TEST_CONFIG.databaseUrl, REDIS_PREFIX: TEST_CONFIG.redisPrefix };
  await recreateDatabase(TEST_CONFIG.databaseUrl);
  await clearRedisPrefix(TEST_CONFIG.redisUrl, TEST_CONFIG.redisPrefix);
  await migrateDatabase(TEST_CONFIG.databaseUrl);

  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (c: Counts) => {
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  };
  if (!args.has("--only-e2e")) {
    add(await stage("typecheck", () => run("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]), none));
    for (const project of ["unit", "integration"]) {
      const out = `${ARTIFACTS}/vitest-${project}.json`;
      add(await stage(`vitest ${project}`,
        () => run("npx", ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], env),
        () => readVitestCounts(out)));
    }
  }
  if (!args.has("--skip-e2e")) {
    // The same build `npm start` serves: made only when missing or its sources changed.
    const build = () => ensureDashboardBuild(ROOT_DIR).then(() => 0, (error: Error) => (console.error(error.message), 1));
    const buildCode = await stage("dashboard build", build, none);
    add(buildCode);
    if (buildCode.failed === 0) {
      const out = `${ARTIFACTS}/playwright.json`;
      add(await stage("playwright",
        () => run("npx", ["playwright", "test"], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: out }),
        () => readPlaywrightCounts(out)));
    }
  }
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error("npm test could not run:", error instanceof Error ? error.message : error);
  process.exit(1);
});
