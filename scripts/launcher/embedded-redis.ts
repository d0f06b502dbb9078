/**
 * A redis-server of `npm start`'s own, for a machine that has the binary but no running Redis:
 * bound to REDIS_URL's host and port, AOF on (queues and the outbox's jobs survive a restart),
 * data in its own directory.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { findExecutable, startLocalServer, type LocalServer } from "./local-server.ts";
import type { LineSink } from "./output.ts";
import { pingRedis } from "./preflight.ts";

/** The redis-server on PATH, or null when none is installed. */
export function findRedisServer(): string | null {
  return findExecutable("redis-server");
}

export async function startEmbeddedRedis(redisServer: string, redisUrl: string, dataDir: string, sink: LineSink): Promise<LocalServer> {
  const url = new URL(redisUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  return startLocalServer({
    name: "redis",
    command: redisServer,
    args: ["--bind", host, "--port", url.port || "6379", "--dir", dataDir, "--appendonly", "yes", "--save", "", "--daemonize", "no"],
    stopSignal: "SIGTERM",
    isReady: () => pingRedis(redisUrl).then(() => true),
    // Its start-up banner and notices are noise next to the services' output; problems are not.
    shows: (line) => /error|fail|can't|cannot/i.test(line) && !/overcommit/.test(line),
    sink,
  });
}
