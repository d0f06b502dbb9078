import type { Redis } from "ioredis";

/** `hit` served from Redis, `miss` fetched and stored. */
export type CacheOutcome = "hit" | "miss";

/**
 * Read-through cache of upstream answers in Redis with a TTL. Stores the upstream data (not the
 * versioned response), so `/v1` and `/v2` share one entry. A Redis failure is a miss, never an error:
 * the cache only makes reads cheaper.
 */
export async function cachedRead<T>(
  redis: Redis,
  key: string,
  ttlMs: number,
  load: () => Promise<T>,
): Promise<{ value: T; outcome: CacheOutcome }> {
  const stored = await redis.get(key).catch(() => null);
  if (stored !== null) return { value: JSON.parse(stored) as T, outcome: "hit" };
  const value = await load();
  await redis.set(key, JSON.stringify(value), "PX", ttlMs).catch((error: Error) => console.error(`gateway cache: ${error.message}`));
  return { value, outcome: "miss" };
}

export const cacheKey = (prefix: string, name: string) => `${prefix}:gateway:cache:${name}`;
