/** Shapes of the services page: each service's instances with health and requests served. */
import { z } from "zod";

/**
 * - `up`: heartbeating within the TTL.
 * - `down`: registered, but no heartbeat within the TTL (crashed, hung, or killed).
 * - `stopped`: stopped through the launcher.
 * - `stopping`: a stop was asked for from this page and the launcher still runs it (it is
 *   deregistering and draining; a graceful stop takes up to the launcher's grace period).
 * - `starting`: the launcher runs it, it has not registered yet.
 * - `unregistered`: only seen in spans (a foreign or discovery-less process).
 */
export const InstanceHealthSchema = z.enum(["up", "down", "stopping", "stopped", "starting", "unregistered"]);
export type InstanceHealth = z.infer<typeof InstanceHealthSchema>;

export const InstanceRowSchema = z.object({
  instanceId: z.string(),
  health: InstanceHealthSchema,
  version: z.string().nullable(),
  address: z.string().nullable(),
  pid: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  lastHeartbeatAt: z.string().nullable(),
  /** SERVER and CONSUMER spans of this instance in the window. */
  requests: z.number().int(),
  errors: z.number().int(),
  avgMs: z.number(),
  /** The launcher runs this instance: the page can stop or start it. */
  isControllable: z.boolean(),
});
export type InstanceRow = z.infer<typeof InstanceRowSchema>;

export const ServiceInstancesSchema = z.object({
  service: z.string(),
  instances: z.array(InstanceRowSchema),
});
export type ServiceInstances = z.infer<typeof ServiceInstancesSchema>;
