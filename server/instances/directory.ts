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
  /** Asks the launcher to stop or start an instance; resolves with how many launchers listened. */
  requestControl(control: InstanceControl): Promise<number>;
};

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
    requestControl: (control) => redis.publish(LauncherKeys.control(prefix), JSON.stringify(InstanceControlSchema.parse(control))),
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
