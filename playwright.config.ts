import { defineConfig } from "@playwright/test";
import { TEST_CONFIG } from "./scripts/launcher/test-config.ts";

/** The test system's dashboard (scripts/launcher TEST_CONFIG). */
const BASE_URL = `http://127.0.0.1:${TEST_CONFIG.ports.dashboard}`;

/**
 * E2E against the whole running system, started once by e2e/global-setup.ts. Uses the Debian
 * Chromium at /usr/bin/chromium (Playwright's own browser download needs internet, which the
 * sandbox lacks), with the flags that keep it from phoning home. Screenshots and traces land in
 * `artifacts/`.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "artifacts/test-results",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  // One system, one set of ports: tests run one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // json: scripts/test.ts sums its counts (file named by PLAYWRIGHT_JSON_OUTPUT_NAME).
  reporter: [["list"], ["json"], ["html", { outputFolder: "artifacts/playwright-report", open: "never" }]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: BASE_URL,
    browserName: "chromium",
    viewport: { width: 1440, height: 900 },
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
