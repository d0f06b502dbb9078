import { Redis } from "ioredis";
import { DiscoveryKeys, type InstanceStatus } from "../../contracts/index.ts";
import { ServiceEndpoints } from "./balancer.ts";
import { listInstances } from "../../shared/discovery-registry.ts";

/** Where the registry is and how fresh this process keeps its copy of it. */
export type DirectoryOptions = { redisUrl: string; prefix: string; ttlMs: number; refreshMs: number; ejectMs: number };

/**
 * This process's copy of the registry: read in full every `refreshMs` and whenever an instance
 * registers or leaves (pub/sub), so resolving a name on each call is a map lookup and never a
 * Redis round trip. If Redis is unreachable the last known list is kept (stale beats empty).
 */
export class ServiceDirectory {
  private readonly services = new Map<string, ServiceEndpoints>();
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private lastError: string | null = null;

  constructor(readonly options: DirectoryOptions) {
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.subscriber = new Redis(options.redisUrl, { lazyConnect: true });
  }

  /** Connects, reads the registry once, then keeps it fresh. */
  async start(): Promise<void> {
    await Promise.all([this.redis.connect(), this.subscriber.connect()]);
    this.subscriber.on("message", () => void this.refresh());
    await this.subscriber.subscribe(DiscoveryKeys.changes(this.options.prefix));
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  /** Re-reads the registry (concurrent callers share one read). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readRegistry().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readRegistry(): Promise<void> {
    try {
      const all = await listInstances(this.redis, this.options.prefix, this.options.ttlMs);
      this.apply(all.filter((s) => s.alive));
      this.lastError = null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this.lastError) console.error(`discovery: reading the registry failed (keeping the last list): ${message}`);
      this.lastError = message;
    }
  }

  private apply(live: InstanceStatus[]): void {
    const byService = new Map<string, InstanceStatus[]>();
    for (const s of live) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
    for (const [service, endpoints] of this.services) if (!byService.has(service)) endpoints.update([]);
    for (const [service, statuses] of byService) this.endpointsOf(service).update(statuses);
  }

  /** The instances of `service` (empty until one registers). */
  endpointsOf(service: string): ServiceEndpoints {
    let endpoints = this.services.get(service);
    if (!endpoints) {
      endpoints = new ServiceEndpoints(service);
      this.services.set(service, endpoints);
    }
    return endpoints;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([this.redis.quit(), this.subscriber.quit()]);
  }
}
