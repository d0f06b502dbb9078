import { startSystem, TEST_CONFIG } from "../scripts/launcher/index.ts";

/**
 * Starts collector, services and dashboard on the test ports against `switchyard_test` and
 * returns the teardown Playwright runs after the last test. The dashboard runs `next start` when
 * a build exists (run `npx next build` first for speed), `next dev` otherwise.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const system = await startSystem({
    databaseUrl: TEST_CONFIG.databaseUrl,
    redisUrl: TEST_CONFIG.redisUrl,
    redisPrefix: TEST_CONFIG.redisPrefix,
    ports: TEST_CONFIG.ports,
    healthTimeoutMs: 120_000,
  });
  return () => system.stop();
}
