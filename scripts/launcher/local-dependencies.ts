/**
 * `npm start` on a bare machine: a PostgreSQL or Redis that already answers is used and left
 * alone; for one that does not (at a local address), the launcher starts its own, with its data
 * under `dataDir`, and stops it after the services (see startSystem).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { SystemConfig } from "./config.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { findRedisServer, startEmbeddedRedis } from "./embedded-redis.ts";
import type { LocalServer } from "./local-server.ts";
import type { LineSink } from "./output.ts";
import { checkDependencies, message, pingPostgres, pingRedis, PreflightError, redisMissing } from "./preflight.ts";
import { ROOT_DIR } from "./processes.ts";

/** What the launcher started; `stop` stops them (Redis and PostgreSQL last, after the services). */
export type LocalDependencies = { started: LocalServer[]; stop(): Promise<void> };

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const isLocal = (url: string) => LOCAL_HOSTS.has(new URL(url).hostname);
/** Refused: nothing listens there. Anything else (a timeout, bad credentials) is a server we must not replace. */
const isRefused = (reason: unknown): boolean => {
  const error = reason as { code?: string; errors?: unknown[] };
  return error?.code === "ECONNREFUSED" || (Array.isArray(error?.errors) && error.errors.length > 0 && error.errors.every(isRefused));
};
const shown = (dir: string) => path.relative(ROOT_DIR, dir).startsWith("..") ? dir : path.relative(ROOT_DIR, dir);

/**
 * Uses what answers; starts an embedded PostgreSQL (`dataDir/postgres`) and a redis-server
 * (`dataDir/redis`) for what does not. Throws a PreflightError when a missing one is remote, or
 * Redis is missing and no redis-server is installed; nothing it started is left running then.
 */
export async function ensureLocalDependencies(config: SystemConfig, dataDir: string, sink: LineSink): Promise<LocalDependencies> {
  const [postgres, redis] = await Promise.allSettled([pingPostgres(config.databaseUrl), pingRedis(config.redisUrl)]);
  const needsPostgres = postgres.status === "rejected";
  const needsRedis = redis.status === "rejected";
  if (!needsPostgres && !needsRedis) return { started: [], stop: async () => undefined };
  // A remote one, or one that is there but refuses us, is not ours to replace: explain as before.
  const replaceable = (url: string, result: PromiseSettledResult<unknown>) => result.status === "fulfilled" || (isLocal(url) && isRefused(result.reason));
  if (!replaceable(config.databaseUrl, postgres) || !replaceable(config.redisUrl, redis)) await checkDependencies(config);
  const redisServer = needsRedis ? findRedisServer() : null;
  if (needsRedis && !redisServer) throw new PreflightError(redisMissing(config.redisUrl, message(redis.status === "rejected" ? redis.reason : "")));

  const started: LocalServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
  const postgresDir = path.join(dataDir, "postgres");
  const redisDir = path.join(dataDir, "redis");
  const starts = await Promise.allSettled([
    needsPostgres ? startEmbeddedPostgres(config.databaseUrl, postgresDir, sink) : null,
    redisServer ? startEmbeddedRedis(redisServer, config.redisUrl, redisDir, sink) : null,
  ]);
  for (const result of starts) if (result.status === "fulfilled" && result.value) started.push(result.value);
  const failed = starts.find((result) => result.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const { host } = new URL(config.databaseUrl);
  const version = needsPostgres ? readFileSync(path.join(postgresDir, "PG_VERSION"), "utf8").trim() : "";
  if (needsPostgres) sink(`PostgreSQL: nothing answered at ${host}; started an embedded PostgreSQL ${version} there (data in ${shown(postgresDir)}, stopped with Switchyard)`);
  if (needsRedis) sink(`Redis: nothing answered at ${new URL(config.redisUrl).host}; started ${redisServer} there (AOF on, data in ${shown(redisDir)}, stopped with Switchyard)`);
  return { started, stop };
}
