import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { ApiKeySchema } from "../../contracts/index.ts";

/** Hash `<prefix>:gateway:api-keys`: sha256(key) hex -> ApiKeyRecord JSON. The key itself is never stored. */
export const apiKeysKey = (prefix: string) => `${prefix}:gateway:api-keys`;

/** A key's own rate limit, over the gateway's GATEWAY_RATE_LIMIT_* defaults. */
export const KeyRateLimitSchema = z.object({ ratePerSecond: z.number().positive(), burst: z.number().int().min(1) });
export type KeyRateLimit = z.infer<typeof KeyRateLimitSchema>;

export const ApiKeyRecordSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), rateLimit: KeyRateLimitSchema.optional() });
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

/** sha256 is enough here: keys are 256 random bits, so there is nothing to brute-force (unlike passwords). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key, stores its hash, and returns the key: the only time it exists in clear. */
export async function createApiKey(
  redis: Redis,
  prefix: string,
  name: string,
  rateLimit?: KeyRateLimit,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = `sy_${randomBytes(32).toString("base64url")}`;
  const record: ApiKeyRecord = { id: randomUUID(), name, createdAt: new Date().toISOString(), ...(rateLimit ? { rateLimit } : {}) };
  await redis.hset(apiKeysKey(prefix), hashApiKey(key), JSON.stringify(record));
  return { key, record };
}

/** The record of a valid key, or null (wrong format, unknown, or revoked). */
export async function findApiKey(redis: Redis, prefix: string, key: string): Promise<ApiKeyRecord | null> {
  if (!ApiKeySchema.safeParse(key).success) return null;
  const json = await redis.hget(apiKeysKey(prefix), hashApiKey(key));
  return json ? ApiKeyRecordSchema.parse(JSON.parse(json)) : null;
}

/** Removes a key by id (revocation); returns whether one was removed. */
export async function revokeApiKey(redis: Redis, prefix: string, id: string): Promise<boolean> {
  const all = await redis.hgetall(apiKeysKey(prefix));
  const hash = Object.entries(all).find(([, json]) => ApiKeyRecordSchema.parse(JSON.parse(json)).id === id)?.[0];
  return hash ? (await redis.hdel(apiKeysKey(prefix), hash)) === 1 : false;
}
