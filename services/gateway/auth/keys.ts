import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { ApiKeySchema } from "../../contracts/index.ts";

/** Hash `<prefix>:gateway:api-keys`: sha256(key) hex -> ApiKeyRecord JSON. The key itself is never stored. */
export const apiKeysKey = (prefix: string) => `${prefix}:gateway:api-keys`;
/** Hash `<prefix>:gateway:api-key-ids`: key id -> sha256(key) hex, so a token's `kid` is checked in O(1). */
export const apiKeyIdsKey = (prefix: string) => `${prefix}:gateway:api-key-ids`;

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
  const hash = hashApiKey(key);
  await redis.multi().hset(apiKeysKey(prefix), hash, JSON.stringify(record)).hset(apiKeyIdsKey(prefix), record.id, hash).exec();
  return { key, record };
}

/** The record of a valid key, or null (wrong format, unknown, or revoked). */
export async function findApiKey(redis: Redis, prefix: string, key: string): Promise<ApiKeyRecord | null> {
  if (!ApiKeySchema.safeParse(key).success) return null;
  const json = await redis.hget(apiKeysKey(prefix), hashApiKey(key));
  return json ? ApiKeyRecordSchema.parse(JSON.parse(json)) : null;
}

/** Looks the id up in the index, then checks that hash still holds a key: one round trip. */
const KEY_ID_LIVE_SCRIPT = `
local hash = redis.call('HGET', KEYS[1], ARGV[1])
if not hash then return 0 end
return redis.call('HEXISTS', KEYS[2], hash)`;

/**
 * True while the key with this id exists: a token is only as alive as the key it was issued for.
 * Checks the key itself (through the id index), so a key removed by any means takes its tokens along.
 */
export async function isApiKeyIdLive(redis: Redis, prefix: string, id: string): Promise<boolean> {
  return (await redis.eval(KEY_ID_LIVE_SCRIPT, 2, apiKeyIdsKey(prefix), apiKeysKey(prefix), id)) === 1;
}

/**
 * Adds every stored key to the id index (idempotent). Run at gateway start so keys created before
 * the index existed keep their tokens working.
 */
export async function indexApiKeyIds(redis: Redis, prefix: string): Promise<void> {
  const all = await redis.hgetall(apiKeysKey(prefix));
  const entries = Object.entries(all).flatMap(([hash, json]) => [ApiKeyRecordSchema.parse(JSON.parse(json)).id, hash]);
  if (entries.length > 0) await redis.hset(apiKeyIdsKey(prefix), ...entries);
}

/** Removes a key by id (revocation), and with it every token issued for it; returns whether one was removed. */
export async function revokeApiKey(redis: Redis, prefix: string, id: string): Promise<boolean> {
  const all = await redis.hgetall(apiKeysKey(prefix));
  const hash = Object.entries(all).find(([, json]) => ApiKeyRecordSchema.parse(JSON.parse(json)).id === id)?.[0];
  await redis.hdel(apiKeyIdsKey(prefix), id);
  return hash ? (await redis.hdel(apiKeysKey(prefix), hash)) === 1 : false;
}
