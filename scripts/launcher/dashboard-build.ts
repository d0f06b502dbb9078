/**
 * The dashboard's production build for `npm start`: build on the first start and whenever the
 * sources the build is made from changed since the last one, then serve it with `next start`
 * (`npm run dev` keeps `next dev` for people changing the dashboard).
 *
 * "Changed" is a hash over the contents of what the dashboard's bundles are made of (its pages,
 * the server code they load, the contracts, the build configuration and the lock file), written
 * next to Next's BUILD_ID after a successful build. Next keeps no such record of its own (its
 * build cache speeds a rebuild up but never skips one), so no library answers "is it current?".
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** What the dashboard's production build is made of (relative to the repository root). */
export const DASHBOARD_SOURCES = [
  "app",
  "server",
  "services/contracts",
  "services/shared",
  "proxy.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "tsconfig.dashboard.json",
  "package-lock.json",
  "prisma/schema.prisma",
] as const;

/** Tests are not bundled; a change to one needs no rebuild. */
const NOT_BUNDLED = /\.test\.tsx?$/;

/** Where the hash of the sources of the current build is kept (inside Next's own output). */
const RECORD = ".next/switchyard-build.json";

async function filesUnder(root: string, entry: string): Promise<string[]> {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  const entries = await readdir(full, { withFileTypes: true, recursive: true }).catch(() => null);
  if (entries === null) return [entry]; // a file
  return entries
    .filter((dirent) => dirent.isFile())
    .map((dirent) => path.relative(root, path.join(dirent.parentPath, dirent.name)))
    .filter((file) => !NOT_BUNDLED.test(file));
}

/** A hash over the path and contents of every dashboard source file, in a fixed order. */
export async function dashboardSourceHash(root: string): Promise<string> {
  const files = (await Promise.all(DASHBOARD_SOURCES.map((entry) => filesUnder(root, entry)))).flat().sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** "current": the build was made from these sources; "missing": no build; "stale": older sources. */
export type DashboardBuildState = { state: "current" | "missing" | "stale"; sourceHash: string };

export async function dashboardBuildState(root: string): Promise<DashboardBuildState> {
  const sourceHash = await dashboardSourceHash(root);
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) return { state: "missing", sourceHash };
  const recorded = await readFile(path.join(root, RECORD), "utf8")
    .then((text) => (JSON.parse(text) as { sourceHash?: unknown }).sourceHash)
    .catch(() => null);
  return { state: recorded === sourceHash ? "current" : "stale", sourceHash };
}

/** The environment every `next` process of ours runs with: no telemetry prompt, no telemetry. */
export const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: "1" } as const;

/** Next's progress lines worth repeating while it builds (the rest goes to the log file). */
const PROGRESS = /Compiled|Compiling|Creating an optimized|Running TypeScript|Collecting page data|Generating static pages|Finalizing/;

/**
 * Runs `next build` with its output in `.switchyard/dashboard-build.log` and its stages on
 * `log`, then records the sources' hash. Rejects with the log's last lines when the build fails.
 */
export async function buildDashboard(root: string, sourceHash: string, log: (line: string) => void): Promise<void> {
  const logFile = path.join(root, ".switchyard/dashboard-build.log");
  await mkdir(path.dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  const tail: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      env: { ...process.env, ...NEXT_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      for (const line of chunk.toString().split("\n")) {
        const text = line.trim();
        if (!text) continue;
        tail.push(text);
        if (tail.length > 30) tail.shift();
        if (PROGRESS.test(text)) log(`  dashboard build: ${text}`);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode ?? 1));
  });
  await new Promise<void>((resolve) => out.end(resolve));
  if (code !== 0) {
    throw new Error(`next build failed (exit ${code}); the last lines of ${path.relative(root, logFile)}:\n${tail.join("\n")}`);
  }
  await writeFile(path.join(root, RECORD), `${JSON.stringify({ sourceHash, builtAt: new Date().toISOString() })}\n`);
}

/** Builds the dashboard unless the build is current; says which and how long it took. */
export async function ensureDashboardBuild(root: string, log: (line: string) => void = console.log): Promise<DashboardBuildState> {
  const current = await dashboardBuildState(root);
  if (current.state === "current") return current;
  const why = current.state === "missing" ? "first start" : "its sources changed since the last build";
  log(`Building the dashboard for production (${why}); this takes a minute or two, later starts reuse it...`);
  const started = Date.now();
  await buildDashboard(root, current.sourceHash, log);
  log(`Dashboard built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { state: "current", sourceHash: current.sourceHash };
}
