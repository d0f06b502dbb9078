/**
 * Dashboard start-up and paint benchmark: `npm run bench:dashboard -- [--loads 7]`.
 * 1. Makes sure the production build is current (as `npm start` would), then times `npm start`
 *    from spawn to its "Switchyard is running" line (warm install, build current), against its
 *    own database `switchyard_bench_dashboard` and Redis prefix `sybenchdash` on the default ports.
 * 2. Stores a synthetic 500-span trace, loads its trace page once to warm the server, then loads
 *    it `--loads` times in fresh Chromium contexts (nothing cached, like a first visit) and reads
 *    first-contentful-paint and the time until the first span row is on screen.
 * Prints the figures (and saves a screenshot of the last load in artifacts/); asserts nothing. Goals (issue 11): start <= 30 s, FCP <= 300 ms.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { makeLargeTrace, seedSpans } from "../e2e/large-trace.ts";
import { DEFAULT_PORTS } from "../services/contracts/index.ts";
import { ensureDashboardBuild } from "../scripts/launcher/dashboard-build.ts";
import { ROOT_DIR } from "../scripts/launcher/processes.ts";

const { values: args } = parseArgs({ options: { loads: { type: "string", default: "7" }, spans: { type: "string", default: "500" } } });
const LOADS = Number(args.loads);
const SPANS = Number(args.spans);
const DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/switchyard_bench_dashboard";
const DASHBOARD = `http://127.0.0.1:${DEFAULT_PORTS.dashboard}`;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/**
 * Spawns what `npm start` runs (`node --import tsx scripts/start.ts`, without npm in between so
 * Ctrl-C reaches the launcher); resolves with the ms until it printed that it runs.
 */
function startSwitchyard(): { child: ChildProcess; ready: Promise<number> } {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT_DIR,
    env: { ...process.env, DATABASE_URL, REDIS_PREFIX: "sybenchdash" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join("").includes("Switchyard is running")) resolve(performance.now() - started);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.on("exit", (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${output.join("").slice(-3000)}`)));
  });
  return { child, ready };
}

/** Ctrl-C to the launcher; SIGKILL if it has not stopped everything within 30 s. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => {
      clearTimeout(deadline);
      resolve();
    });
    child.kill("SIGINT");
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

await ensureDashboardBuild(ROOT_DIR);
const { child, ready } = startSwitchyard();
try {
  const startMs = await ready;
  console.log(`npm start to ready (build current): ${(startMs / 1000).toFixed(1)} s`);
  const trace = makeLargeTrace(SPANS);
  await seedSpans(DATABASE_URL, trace);
  const traceId = trace[0]!.traceId;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const paints: number[] = [];
    const rows: number[] = [];
    for (let i = 0; i <= LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${DASHBOARD}/traces/${traceId}`);
      await page.getByTestId("span-row").first().waitFor();
      if (i === LOADS) await page.screenshot({ path: "artifacts/bench-dashboard-trace.png" });
      const timing = await page.evaluate(() => {
        const paint = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
        return { paint, rowsAt: performance.now() };
      });
      await context.close();
      if (i === 0) continue; // the warm-up load
      paints.push(timing.paint);
      rows.push(timing.rowsAt);
    }
    console.log(`trace page, ${SPANS} spans, ${LOADS} cold-browser loads: first-contentful-paint median ${median(paints).toFixed(0)} ms ` +
      `(min ${Math.min(...paints).toFixed(0)}, max ${Math.max(...paints).toFixed(0)}); first span row seen by ${median(rows).toFixed(0)} ms`);
    console.log(`dashboard: start_s=${(startMs / 1000).toFixed(1)} fcp_ms=${median(paints).toFixed(0)} rows_ms=${median(rows).toFixed(0)}`);
  } finally {
    await browser.close();
  }
} finally {
  await stop(child);
}
