import { Redis } from "ioredis";
import {
  InstanceControlSchema,
  instancePort,
  LauncherKeys,
  SERVICE_NAMES,
  type LauncherInstance,
} from "../../services/contracts/index.ts";
import { processUrl, type ProcessName, type SystemConfig } from "./config.ts";
import { waitForHealthy } from "./health.ts";
import type { LineSink } from "./output.ts";
import { childEnv, processTable, type ProcessSpec } from "./processes.ts";
import { SupervisedProcess } from "./supervisor.ts";

/** One process the launcher runs: a service instance, the collector or the dashboard. */
export type Instance = { name: ProcessName; instanceId: string; port: number; spec: ProcessSpec; env: Record<string, string> };

const isService = (name: ProcessName) => (SERVICE_NAMES as readonly string[]).includes(name);

/**
 * The instances of `name`: `config.instances[name]` of them (default 1), the n-th on
 * `instancePort(port, n)` with SERVICE_INSTANCE_ID `<name>-<n>` (the registry's and the spans' id).
 */
export function instancesOf(config: SystemConfig, name: ProcessName): Instance[] {
  const count = config.instances?.[name] ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const port = instancePort(config.ports[name], i + 1);
    const own: SystemConfig = { ...config, ports: { ...config.ports, [name]: port } };
    const instanceId = `${name}-${i + 1}`;
    const env: Record<string, string> = { ...childEnv(own, name), ...(isService(name) ? { SERVICE_INSTANCE_ID: instanceId } : {}) };
    // Clients still get the first instance's URL as the fallback address of this service.
    if (name === "inventory") env.INVENTORY_URL = processUrl(config, "inventory");
    return { name, instanceId, port, env, spec: { ...processTable(own)[name], label: count > 1 ? instanceId : name } };
  });
}

/**
 * Runs instances and lets the dashboard stop and start them: it publishes
 * `{action, instanceId}` on `<prefix>:launcher:control`; the pool keeps
 * `<prefix>:launcher:instances` (id -> LauncherInstance JSON) up to date.
 */
export class InstancePool {
  private readonly running = new Map<string, { instance: Instance; process: SupervisedProcess }>();
  private readonly redis: Redis;
  private subscriber: Redis | null = null;

  constructor(
    private readonly config: SystemConfig,
    private readonly sink: LineSink,
    private readonly healthTimeoutMs: number,
  ) {
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  }

  /** Starts one instance and waits until it answers its health URL. */
  async start(instance: Instance, signal?: AbortSignal): Promise<void> {
    let entry = this.running.get(instance.instanceId);
    if (!entry) {
      entry = { instance, process: new SupervisedProcess(instance.spec, instance.env, this.running.size, this.sink) };
      this.running.set(instance.instanceId, entry);
    }
    entry.process.start();
    await this.publishState();
    await waitForHealthy(instance.spec.healthUrl, this.healthTimeoutMs, signal);
  }

  /** Stops one instance: SIGTERM (graceful: it deregisters first) or SIGKILL (it just vanishes). */
  async stop(instanceId: string, how: "graceful" | "kill" = "graceful"): Promise<void> {
    const entry = this.running.get(instanceId);
    if (!entry) throw new Error(`no instance ${instanceId}`);
    await (how === "kill" ? entry.process.kill() : entry.process.stop(12_000));
    await this.publishState();
  }

  /** Starts a stopped instance again. */
  async restart(instanceId: string): Promise<void> {
    const entry = this.running.get(instanceId);
    if (!entry) throw new Error(`no instance ${instanceId}`);
    if (!entry.process.isRunning) await this.start(entry.instance);
  }

  list(): LauncherInstance[] {
    return [...this.running.values()].map(({ instance, process }) => ({
      service: instance.name,
      instanceId: instance.instanceId,
      port: instance.port,
      state: process.isRunning ? "running" : "stopped",
    }));
  }

  /** Listens for the dashboard's stop/start requests. Bad messages are logged and ignored. */
  async listen(): Promise<void> {
    this.subscriber = new Redis(this.config.redisUrl);
    this.subscriber.on("message", (_channel, message) => void this.onControl(message));
    await this.subscriber.subscribe(LauncherKeys.control(this.config.redisPrefix));
  }

  private async onControl(message: string): Promise<void> {
    try {
      const control = InstanceControlSchema.parse(JSON.parse(message));
      if (!this.running.has(control.instanceId)) throw new Error(`no instance ${control.instanceId}`);
      this.sink(`[launcher] ${control.action} ${control.instanceId} (asked by the dashboard)`);
      await (control.action === "stop" ? this.stop(control.instanceId) : this.restart(control.instanceId));
    } catch (error) {
      this.sink(`[launcher] ignored control message ${message.slice(0, 200)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async publishState(): Promise<void> {
    const key = LauncherKeys.instances(this.config.redisPrefix);
    const fields = this.list().flatMap((i) => [i.instanceId, JSON.stringify(i)]);
    await this.redis.multi().del(key).hset(key, ...fields).exec().catch((e: Error) => this.sink(`[launcher] could not publish instances: ${e.message}`));
  }

  /** Stops everything (SIGTERM, SIGKILL after the grace) and forgets the published state. */
  async stopAll(graceMs: number): Promise<void> {
    await Promise.all([...this.running.values()].map(({ process }) => process.stop(graceMs)));
    await this.subscriber?.quit().catch(() => undefined);
    await this.redis.del(LauncherKeys.instances(this.config.redisPrefix)).catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }
}
