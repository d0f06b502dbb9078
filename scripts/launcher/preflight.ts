import net from "node:net";
import pg from "pg";
import type { ProcessName, SystemConfig } from "./config.ts";
import { findPortHolder } from "./port-holders.ts";
import { ROOT_DIR } from "./processes.ts";

/** A problem the user can fix; the launcher prints its message (no stack) and exits 1. */
export class PreflightError extends Error {
  override name = "PreflightError";
}

const PROBE_TIMEOUT_MS = 3000;

/** Sends PING on a raw socket: no client library, no reconnect loop, a plain yes/no. */
export function pingRedis(redisUrl: string): Promise<void> {
  const url = new URL(redisUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    socket.setTimeout(PROBE_TIMEOUT_MS, () => socket.destroy(new Error("timed out")));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.end();
      // -NOAUTH still proves Redis is there; the services would then report the auth problem.
      return data.toString().startsWith("+PONG") || data.toString().startsWith("-NOAUTH") ? resolve() : reject(new Error(`unexpected reply ${data.toString().trim()}`));
    });
    socket.once("error", reject);
  });
}

/** Connects to the server's `postgres` database: the app database may not exist yet. */
export async function pingPostgres(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.href, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** What to say when Redis does not answer and the launcher cannot start one: the three ways to get one. */
export function redisMissing(redisUrl: string, reason: string): string {
  return (
    `Redis does not answer at ${redisUrl} (${reason}).\n` +
    "  Start it with:  docker-compose up -d redis\n" +
    "  or install it:  sudo apt-get install redis-server  (npm start then runs one itself)\n" +
    "  or point at one: REDIS_URL=redis://host:port npm start"
  );
}

export const message = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error));

/** Checks PostgreSQL and Redis answer; throws a PreflightError saying which, where, and how to start it. */
export async function checkDependencies(config: SystemConfig): Promise<void> {
  const [postgres, redis] = await Promise.allSettled([pingPostgres(config.databaseUrl), pingRedis(config.redisUrl)]);
  const problems: string[] = [];
  if (postgres.status === "rejected") {
    problems.push(
      `PostgreSQL does not answer at ${new URL(config.databaseUrl).host} (${message(postgres.reason)}).\n` +
        "  Start it with:  docker-compose up -d postgres\n" +
        "  or locally:     sudo apt-get install postgresql && sudo pg_ctlcluster <version> main start",
    );
  }
  if (redis.status === "rejected") {
    problems.push(redisMissing(config.redisUrl, message(redis.reason)));
  }
  if (problems.length > 0) throw new PreflightError(problems.join("\n"));
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Fails when a port is taken: otherwise a stale process (an earlier `npm start`) would answer the
 * health checks and the new system would look healthy while its children crash-loop. Names the
 * process holding each port, and offers `npm stop` when they are Switchyard's own (this checkout).
 */
export async function checkPortsFree(config: SystemConfig, names: readonly ProcessName[]): Promise<void> {
  const busy: string[] = [];
  let ours = 0;
  const ports: [string, number][] = names.map((name) => [name, config.ports[name]]);
  if (names.includes("collector") && config.collectorGrpcPort !== undefined) ports.push(["collector OTLP/gRPC", config.collectorGrpcPort]);
  for (const [name, port] of ports) {
    if (await isPortFree(port)) continue;
    const holder = findPortHolder(port);
    if (holder && holder.command.includes(ROOT_DIR)) ours++;
    const who = holder ? `, held by pid ${holder.pid}: ${shorten(holder.command)}` : "";
    busy.push(`  ${name} (port ${port}${who})`);
  }
  if (busy.length === 0) return;
  const advice =
    ours === busy.length
      ? "These are Switchyard processes from this checkout (an earlier npm start). Stop them with:  npm stop"
      : ours > 0
        ? "Some are Switchyard processes from this checkout (stop them with:  npm stop); stop the other programs or pick other ports."
        : "Is Switchyard already running from another checkout, or another program using these ports? Stop it first.";
  throw new PreflightError(`Already in use:\n${busy.join("\n")}\n${advice}`);
}

function shorten(command: string): string {
  const relative = command.replaceAll(`${ROOT_DIR}/`, "");
  return relative.length > 120 ? `${relative.slice(0, 117)}...` : relative;
}
