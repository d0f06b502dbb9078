import { Redis } from "ioredis";
import { DEFAULT_PORTS, type InstanceRecord } from "../../contracts/index.ts";
import { ServiceDirectory } from "./directory.ts";
import { discoveryEnv } from "./env.ts";
import { useDirectory } from "./fetch.ts";
import { processInstanceId } from "./identity.ts";
import { deregister, heartbeat } from "../../shared/discovery-registry.ts";

export { discoveryFetch, isConnectionRefused } from "./fetch.ts";
export { deregister, heartbeat, listInstances } from "../../shared/discovery-registry.ts";
export { ServiceDirectory } from "./directory.ts";
export { processInstanceId } from "./identity.ts";


/**
 * A started discovery: `register` once listening; on shutdown `deregister` first (clients stop
 * choosing this instance before its server closes), `close` last (calls still in flight resolve).
 */
export type ProcessDiscovery = { register(): Promise<void>; deregister(): Promise<void>; close(): Promise<void> };

/**
 * Discovery for a service process: resolves other services by name from now on (the directory is
 * read before the service code runs, so its first calls already balance), and — once `register`
 * is called after the server listens — announces this instance with a heartbeat every
 * DISCOVERY_HEARTBEAT_MS. Disabled (DISCOVERY_ENABLED=false): both are no-ops.
 */
export async function startDiscovery(serviceName: string): Promise<ProcessDiscovery> {
  const env = discoveryEnv();
  const none = async () => {};
  if (!env.DISCOVERY_ENABLED) return { register: none, deregister: none, close: none };
  const directory = new ServiceDirectory({
    redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX, ttlMs: env.DISCOVERY_TTL_MS, refreshMs: env.DISCOVERY_REFRESH_MS, ejectMs: env.DISCOVERY_EJECT_MS,
  });
  await directory.start();
  useDirectory(directory);
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
  const port = env.PORT ?? (DEFAULT_PORTS as Record<string, number>)[serviceName];
  const record: InstanceRecord = {
    service: serviceName, instanceId: processInstanceId(serviceName), host: "127.0.0.1", port: port ?? 0,
    version: env.SERVICE_VERSION, pid: process.pid, startedAt: new Date().toISOString(),
  };
  let timer: NodeJS.Timeout | null = null;
  let lastError: string | null = null;
  const beat = () =>
    heartbeat(redis, env.REDIS_PREFIX, record, Date.now(), env.DISCOVERY_TTL_MS).then(
      () => void (lastError = null),
      (error: Error) => {
        if (error.message !== lastError) console.error(`discovery: heartbeat failed: ${error.message}`);
        lastError = error.message;
      },
    );
  return {
    async register() {
      if (!port) throw new Error(`discovery: no PORT for ${serviceName}; set PORT`);
      await beat();
      timer = setInterval(() => void beat(), env.DISCOVERY_HEARTBEAT_MS);
      timer.unref();
    },
    async deregister() {
      if (!timer) return;
      clearInterval(timer);
      timer = null;
      await deregister(redis, env.REDIS_PREFIX, serviceName, record.instanceId);
    },
    async close() {
      useDirectory(null);
      await Promise.allSettled([directory.stop(), redis.quit()]);
    },
  };
}
