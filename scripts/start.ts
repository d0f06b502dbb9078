/**
 * `npm start`: checks Redis and PostgreSQL, migrates, starts every Switchyard process, prints the
 * dashboard URL, and stops everything on Ctrl-C / SIGTERM. A second signal exits at once.
 */
import { z } from "zod";
import { parseEnv } from "../services/kit/env.ts";
import { describeApiKey, PreflightError, startSystem, type RunningSystem } from "./launcher/index.ts";

/** Optional overrides for a PostgreSQL/Redis that is not at the default local address. */
const env = parseEnv(
  z.object({
    DATABASE_URL: z.url().optional(),
    REDIS_URL: z.url().optional(),
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).optional(),
  }),
);

let system: RunningSystem | null = null;
let stopping = false;
const startup = new AbortController();

async function stopAndExit(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    console.error(`${signal} again: exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  console.log(`\n${signal}: stopping Switchyard...`);
  // Still starting: abort, and startSystem stops what it had started before rejecting.
  if (!system) return startup.abort();
  await system.stop();
  process.exit(0);
}

process.on("SIGINT", (signal) => void stopAndExit(signal));
process.on("SIGTERM", (signal) => void stopAndExit(signal));

try {
  system = await startSystem({
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    signal: startup.signal,
  });
  console.log(`\nSwitchyard is running: ${system.urls.dashboard}`);
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
