import { DEV_CONFIG, PROCESS_NAMES, processUrl, STARTUP_STAGES, type ProcessName, type SystemConfig } from "./config.ts";
import { ensureDatabase, migrateDatabase } from "./database.ts";
import { ensureDashboardBuild } from "./dashboard-build.ts";
import { stdoutSink, type LineSink } from "./output.ts";
import { checkDependencies, checkPortsFree } from "./preflight.ts";
import type { LauncherInstance } from "../../services/contracts/index.ts";
import { ensureApiKey, type LocalApiKey } from "./api-key.ts";
import { InstancePool, instancesOf } from "./instances.ts";
import { ROOT_DIR } from "./processes.ts";
import { ensureLocalDependencies, type LocalDependencies } from "./local-dependencies.ts";

export { DEV_CONFIG, PROCESS_NAMES, type ProcessName, type SystemConfig } from "./config.ts";
export { TEST_CONFIG } from "./test-config.ts";
export { PreflightError } from "./preflight.ts";
export { describeApiKey, type LocalApiKey } from "./api-key.ts";

/** How to start the system; everything is optional and defaults to `npm start`'s setup. */
export type StartSystemOptions = {
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  ports?: Partial<Record<ProcessName, number>>;
  /** The collector's OTLP/gRPC port (default 4317, or its port - 1 when `ports.collector` is given). */
  collectorGrpcPort?: number;
  /** Instances per process (default: DEV_CONFIG's, two of inventory). */
  instances?: Partial<Record<ProcessName, number>>;
  /** Which processes to run (default: all). */
  processes?: readonly ProcessName[];
  /** Shortcut to leave the dashboard out (tests without a browser). Default true. */
  includeDashboard?: boolean;
  /** Apply migrations before starting (default true). */
  migrate?: boolean;
  /** Per-process deadline for its health URL (default 60 s; `next dev` compiles on first hit). */
  healthTimeoutMs?: number;
  /** Extra environment per process (for example a test's SAGA_STEP_DELAY_MS for order). */
  env?: Partial<Record<ProcessName, Record<string, string>>>;
  /** `next start` or `next dev` for the dashboard (see SystemConfig). */
  dashboardMode?: SystemConfig["dashboardMode"];
  /**
   * Make the dashboard's production build current before serving it (`npm start`): build when
   * there is none or its sources changed, with progress lines (see dashboard-build.ts).
   */
  buildDashboard?: boolean;
  /** Where prefixed output goes (default stdout). */
  output?: LineSink;
  /** Aborting it during start-up stops what was started and rejects. */
  signal?: AbortSignal;
  /**
   * `npm start` on a bare machine: when nothing answers at the database or Redis URL (a local
   * one), start an embedded PostgreSQL / a redis-server with their data under this directory, and
   * stop them after the processes (see local-dependencies.ts). Unset: both must already answer.
   */
  localDependenciesDir?: string;
};

/** A running system. */
export type RunningSystem = {
  urls: Record<ProcessName, string>;
  config: SystemConfig;
  /** SIGTERM to every child, SIGKILL to stragglers; resolves when all have exited. */
  stop(): Promise<void>;
  /** The gateway key of the dashboard and CLI (null when neither runs); see api-key.ts. */
  apiKey: LocalApiKey | null;
  /** Every instance the launcher runs (two of inventory by default) and its state. */
  instances(): LauncherInstance[];
  /** Stops one instance (`inventory-2`): gracefully, or `kill` (SIGKILL, no deregistration). Not restarted. */
  stopInstance(instanceId: string, how?: "graceful" | "kill"): Promise<void>;
  /** Starts a stopped instance again and waits for its health URL. */
  startInstance(instanceId: string): Promise<void>;
};

/** Grace before SIGKILL: a little over the services' own 10 s shutdown deadline. */
const STOP_GRACE_MS = 12_000;

function resolveConfig(options: StartSystemOptions): SystemConfig {
  return {
    databaseUrl: options.databaseUrl ?? DEV_CONFIG.databaseUrl,
    redisUrl: options.redisUrl ?? DEV_CONFIG.redisUrl,
    redisPrefix: options.redisPrefix ?? DEV_CONFIG.redisPrefix,
    ports: { ...DEV_CONFIG.ports, ...options.ports },
    collectorGrpcPort: options.collectorGrpcPort ?? (options.ports?.collector === undefined ? DEV_CONFIG.collectorGrpcPort : undefined),
    instances: { ...DEV_CONFIG.instances, ...options.instances },
    dashboardMode: options.dashboardMode,
  };
}

function selectProcesses(options: StartSystemOptions): ProcessName[] {
  const wanted = new Set(options.processes ?? PROCESS_NAMES);
  if (options.includeDashboard === false) wanted.delete("dashboard");
  // Keep the table's order whatever order the caller listed them in.
  return PROCESS_NAMES.filter((name) => wanted.has(name));
}

/**
 * Starts Switchyard: checks PostgreSQL and Redis, creates and migrates the database, then starts
 * the processes stage by stage (see STARTUP_STAGES), waiting for their health URLs. On any
 * failure (or abort) everything started so far is stopped.
 */
export async function startSystem(options: StartSystemOptions = {}): Promise<RunningSystem> {
  const config = resolveConfig(options);
  const names = selectProcesses(options);
  const sink = options.output ?? stdoutSink;
  let dependencies: LocalDependencies | null = null;
  if (options.localDependenciesDir) dependencies = await ensureLocalDependencies(config, options.localDependenciesDir, sink);
  else await checkDependencies(config);
  try {
    return await startProcesses(config, names, options, sink, dependencies);
  } catch (error) {
    await dependencies?.stop();
    throw error;
  }
}

/** The rest of startSystem once PostgreSQL and Redis answer; `dependencies` are stopped with the system. */
async function startProcesses(
  config: SystemConfig,
  names: ProcessName[],
  options: StartSystemOptions,
  sink: LineSink,
  dependencies: LocalDependencies | null,
): Promise<RunningSystem> {
  await checkPortsFree(config, names);
  await ensureDatabase(config.databaseUrl);
  if (options.migrate !== false) await migrateDatabase(config.databaseUrl);

  if (options.buildDashboard && names.includes("dashboard") && config.dashboardMode !== "dev") await ensureDashboardBuild(ROOT_DIR, sink);
  const apiKey = names.includes("gateway") || names.includes("dashboard") ? await ensureApiKey(config) : null;
  const pool = new InstancePool(config, sink, options.healthTimeoutMs ?? 60_000);
  // The services first, so they shut down against a database and Redis that still answer.
  const stop = async () => {
    await pool.stopAll(STOP_GRACE_MS);
    await dependencies?.stop();
  };
  const startOne = (name: ProcessName) =>
    Promise.all(
      instancesOf(config, name).map((instance) => {
        if (name === "dashboard" && apiKey) instance.env.GATEWAY_API_KEY = apiKey.key;
        Object.assign(instance.env, options.env?.[name]);
        return pool.start(instance, options.signal);
      }),
    );
  try {
    for (const stage of STARTUP_STAGES) {
      // allSettled: even if one fails, wait for its siblings so every spawned child is tracked.
      const results = await Promise.allSettled(stage.filter((name) => names.includes(name)).map(startOne));
      const failure = results.find((result) => result.status === "rejected");
      if (failure) throw failure.reason;
    }
    await pool.listen();
  } catch (error) {
    await pool.stopAll(STOP_GRACE_MS);
    throw error;
  }
  const urls = Object.fromEntries(PROCESS_NAMES.map((name) => [name, processUrl(config, name)])) as Record<ProcessName, string>;
  return {
    urls,
    config,
    stop,
    apiKey,
    instances: () => pool.list(),
    stopInstance: (id, how) => pool.stop(id, how),
    startInstance: (id) => pool.restart(id),
  };
}
