import type { Redis } from "ioredis";
import {
  DiscoveryKeys,
  InstanceRecordSchema,
  type InstanceRecord,
  type InstanceStatus,
} from "../contracts/index.ts";

/** Registry entries older than this many TTLs are deleted outright (the dashboard shows them as gone until then). */
const FORGET_AFTER_TTLS = 20;

/**
 * One heartbeat: refresh the score, (re)write the record, prune long-dead entries, and announce a
 * new member. Atomic, so a reader never sees a score without its record.
 */
const HEARTBEAT_SCRIPT = `
local isNew = redis.call('ZSCORE', KEYS[1], ARGV[1]) == false
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
for _, member in ipairs(dead) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('HDEL', KEYS[2], member)
end
if isNew then redis.call('PUBLISH', KEYS[3], ARGV[1]) end
return isNew and 1 or 0`;

/** Writes one heartbeat for `record` at `nowMs`. */
export async function heartbeat(redis: Redis, prefix: string, record: InstanceRecord, nowMs: number, ttlMs: number): Promise<void> {
  const member = DiscoveryKeys.member(record.service, record.instanceId);
  await redis.eval(
    HEARTBEAT_SCRIPT,
    3,
    DiscoveryKeys.heartbeats(prefix),
    DiscoveryKeys.instances(prefix),
    DiscoveryKeys.changes(prefix),
    member,
    JSON.stringify(record),
    nowMs,
    nowMs - ttlMs * FORGET_AFTER_TTLS,
  );
}

/** Removes the instance at once (graceful shutdown) and tells clients to refresh. */
export async function deregister(redis: Redis, prefix: string, service: string, instanceId: string): Promise<void> {
  const member = DiscoveryKeys.member(service, instanceId);
  await redis
    .multi()
    .zrem(DiscoveryKeys.heartbeats(prefix), member)
    .hdel(DiscoveryKeys.instances(prefix), member)
    .publish(DiscoveryKeys.changes(prefix), member)
    .exec();
}

/**
 * Every registered instance with its last heartbeat; `alive` is false once its TTL has passed.
 * Records that fail validation (written by something else) are skipped, not trusted.
 */
export async function listInstances(redis: Redis, prefix: string, ttlMs: number, nowMs = Date.now()): Promise<InstanceStatus[]> {
  const result = await redis
    .multi()
    .zrange(DiscoveryKeys.heartbeats(prefix), 0, "-1", "WITHSCORES")
    .hgetall(DiscoveryKeys.instances(prefix))
    .exec();
  const scores = (result?.[0]?.[1] ?? []) as string[];
  const records = (result?.[1]?.[1] ?? {}) as Record<string, string>;
  const statuses: InstanceStatus[] = [];
  for (let i = 0; i + 1 < scores.length; i += 2) {
    const parsed = parseRecord(records[scores[i]!]);
    const at = Number(scores[i + 1]);
    if (parsed) statuses.push({ ...parsed, lastHeartbeatAt: new Date(at).toISOString(), alive: at > nowMs - ttlMs });
  }
  return statuses.sort((a, b) => a.service.localeCompare(b.service) || a.instanceId.localeCompare(b.instanceId));
}

function parseRecord(json: string | undefined): InstanceRecord | null {
  if (!json) return null;
  try {
    const result = InstanceRecordSchema.safeParse(JSON.parse(json));
    return result.success ? result.data : null;
  } catch {
    // Not JSON: not one of ours.
    return null;
  }
}
