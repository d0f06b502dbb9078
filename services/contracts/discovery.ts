import { z } from "zod";

/**
 * Service discovery: every process registers one instance record in Redis and refreshes its
 * heartbeat; clients resolve a service name to the live instances. Keys (all under REDIS_PREFIX):
 * - `<prefix>:discovery:heartbeats` sorted set, member `<service>/<instanceId>`, score = last heartbeat (Unix ms)
 * - `<prefix>:discovery:instances` hash, same member -> InstanceRecord JSON
 * - `<prefix>:discovery:changes` pub/sub channel: a member registered or left (clients refresh at once)
 */
export const DiscoveryKeys = {
  heartbeats: (prefix: string) => `${prefix}:discovery:heartbeats`,
  instances: (prefix: string) => `${prefix}:discovery:instances`,
  changes: (prefix: string) => `${prefix}:discovery:changes`,
  member: (service: string, instanceId: string) => `${service}/${instanceId}`,
} as const;

/** Instance ids: launcher-given (`inventory-2`) or random; also the span resource's service.instance.id. */
export const InstanceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i);

/** What an instance says about itself when it registers. */
export const InstanceRecordSchema = z.object({
  service: z.string().min(1).max(64),
  instanceId: InstanceIdSchema,
  /** Host and port clients connect to (always 127.0.0.1 here). */
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  version: z.string().min(1).max(64),
  pid: z.number().int(),
  /** ISO time the process started. */
  startedAt: z.string(),
});
export type InstanceRecord = z.infer<typeof InstanceRecordSchema>;

/** A registered instance as read back: its record, its last heartbeat and whether its TTL has passed. */
export const InstanceStatusSchema = InstanceRecordSchema.extend({
  lastHeartbeatAt: z.string(),
  /** false once no heartbeat arrived within the TTL (it is no longer resolved by clients). */
  alive: z.boolean(),
});
export type InstanceStatus = z.infer<typeof InstanceStatusSchema>;

/**
 * Asking the launcher to stop or start one instance (the dashboard's buttons). Published on
 * `<prefix>:launcher:control`; the launcher owns the processes and answers on `<prefix>:launcher:instances`.
 */
export const InstanceControlSchema = z.object({
  action: z.enum(["stop", "start"]),
  instanceId: InstanceIdSchema,
});
export type InstanceControl = z.infer<typeof InstanceControlSchema>;

/** The launcher's view of the instances it runs (hash `<prefix>:launcher:instances`, id -> JSON). */
export const LauncherInstanceSchema = z.object({
  service: z.string(),
  instanceId: InstanceIdSchema,
  port: z.number().int(),
  state: z.enum(["running", "stopped"]),
});
export type LauncherInstance = z.infer<typeof LauncherInstanceSchema>;

export const LauncherKeys = {
  control: (prefix: string) => `${prefix}:launcher:control`,
  instances: (prefix: string) => `${prefix}:launcher:instances`,
} as const;

/** `app.discovery.balancer` value: least outstanding requests, ties broken round robin. */
export const DISCOVERY_BALANCER = "least-outstanding";
