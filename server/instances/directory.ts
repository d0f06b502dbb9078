/**
 * The dashboard's read/control access to the instances: the discovery registry (read through the
 * kit's own `listInstances`, so the format lives in one place), the launcher's instance list, and
 * stop/start requests published to the launcher. Pages reach this only through the services router.
 */
import { Redis } from "ioredis";
import {
  InstanceControlSchema,
  LauncherInstanceSchema,
  LauncherKeys,
  type InstanceControl,
  type InstanceStatus,
  type LauncherInstance,
} from "../../services/contracts/discovery.ts";
import { listInstances } from "../../services/shared/discovery-registry.ts";
import { getEnv } from "../env.ts";

export type InstanceDirectory = {
  listRegistered(): Promise<InstanceStatus[]>;
  /** Instances the launcher runs (empty when the system was not started by the launcher). */
  listLaunched(): Promise<LauncherInstance[]>;
  /**
   * Asks the launcher to stop or start an instance; resolves with how many launchers listened. A
   * stop is remembered (for {@link STOP_REQUEST_TTL_MS}) so the page can say "stopping".
   */
  requestControl(control: InstanceControl): Promise<number>;
  /** Instance ids a stop was asked for in the last {@link STOP_REQUEST_TTL_MS}. */
  listStopRequests(): Promise<string[]>;
};

/**
 * How long a stop request marks an instance "stopping": the launcher's graceful stop takes up to
 * 12 s before it reports the instance stopped; a stop nobody carried out stops showing after this.
 */
export const STOP_REQUEST_TTL_MS = 30_000;

/** Hash id -> epoch ms of the dashboard's stop requests (in Redis: every dashboard process sees them). */
const stopRequestsKey = (prefix: string) => `${prefix}:dashboard:stop-requests`;

/** A directory over one Redis connection. */
export function createInstanceDirectory(redis: Redis, prefix: string, ttlMs: number): InstanceDirectory {
  return {
    listRegistered: () => listInstances(redis, prefix, ttlMs),
    async listLaunched() {
      const raw = await redis.hgetall(LauncherKeys.instances(prefix));
      return Object.values(raw).flatMap((json) => {
        const parsed = LauncherInstanceSchema.safeParse(JSON.parse(json));
        return parsed.success ? [parsed.data] : [];
      });
    },
    async requestControl(control) {
      const parsed = InstanceControlSchema.parse(control);
      const key = stopRequestsKey(prefix);
      if (parsed.action === "stop") await redis.multi().hset(key, parsed.instanceId, String(Date.now())).pexpire(key, STOP_REQUEST_TTL_MS).exec();
      else await redis.hdel(key, parsed.instanceId);
      return redis.publish(LauncherKeys.control(prefix), JSON.stringify(parsed));
    },
    async listStopRequests() {
      const since = Date.now() - STOP_REQUEST_TTL_MS;
      const raw = await redis.hgetall(stopRequestsKey(prefix));
      return Object.entries(raw).flatMap(([id, at]) => (Number(at) >= since ? [id] : []));
    },
  };
}

const holder = globalThis as typeof globalThis & { switchyardInstanceDirectory?: InstanceDirectory };

/** The process-wide directory (one Redis connection, kept across `next dev` reloads). */
export function getInstanceDirectory(): InstanceDirectory {
  if (!holder.switchyardInstanceDirectory) {
    const env = getEnv();
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
    redis.on("error", (error) => console.error("instance directory: Redis error:", error.message));
    holder.switchyardInstanceDirectory = createInstanceDirectory(redis, env.REDIS_PREFIX, env.DISCOVERY_TTL_MS);
  }
  return holder.switchyardInstanceDirectory;
}
