import { randomUUID } from "node:crypto";
import { discoveryEnv } from "./env.ts";

let instanceId: string | undefined;

/**
 * This process's instance id: the launcher's SERVICE_INSTANCE_ID, or `<service>-<random>`. The
 * registry and the spans' `service.instance.id` use the same value, so the dashboard can count
 * requests per registered instance. (No ioredis import here: this runs before tracing starts.)
 */
export function processInstanceId(serviceName: string): string {
  instanceId ??= discoveryEnv().SERVICE_INSTANCE_ID ?? `${serviceName}-${randomUUID().slice(0, 8)}`;
  return instanceId;
}
