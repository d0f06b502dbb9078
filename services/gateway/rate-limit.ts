import type { Redis } from "ioredis";

/**
 * Token bucket per API key, in one Lua script so concurrent gateway instances share it exactly:
 * the bucket holds up to `burst` tokens, refills at `ratePerSecond`, each request takes one.
 * Time comes from Redis (`TIME`), not from the gateways' clocks. The key expires once the bucket
 * would be full again, so idle keys cost nothing. (No rate-limit library is installed here; this
 * is the well-known GCRA/token-bucket script shape, ~15 lines.)
 */
const TOKEN_BUCKET = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local retryAfter = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retryAfter = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, math.floor(tokens), retryAfter}`;

export type RateLimitDecision = { allowed: boolean; remaining: number; limit: number; retryAfterMs: number };

export type RateLimitSettings = { ratePerSecond: number; burst: number };

/** Takes one token from `keyId`'s bucket. */
export async function takeToken(redis: Redis, prefix: string, keyId: string, settings: RateLimitSettings): Promise<RateLimitDecision> {
  const [allowed, remaining, retryAfterMs] = (await redis.eval(
    TOKEN_BUCKET,
    1,
    `${prefix}:gateway:rate:${keyId}`,
    settings.ratePerSecond,
    settings.burst,
  )) as [number, number, number];
  return { allowed: allowed === 1, remaining, limit: settings.burst, retryAfterMs };
}
