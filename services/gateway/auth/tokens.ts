import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { KeyRateLimitSchema, type ApiKeyRecord } from "./keys.ts";

/**
 * Signed short-lived tokens: `base64url(JSON payload).base64url(HMAC-SHA256(payload))`. A JWT
 * library would add algorithm negotiation we do not need (one issuer, one verifier, one key);
 * this is the same construction as an HS256 JWT without the header.
 */
const TokenPayloadSchema = z.object({
  kid: z.string(),
  name: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  /** The key's own rate limit, carried so a token costs no key lookup. */
  rl: KeyRateLimitSchema.optional(),
});
export type TokenPayload = z.infer<typeof TokenPayloadSchema>;

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: "invalid_token" | "expired_token" };

/** Where the generated secret is kept when GATEWAY_TOKEN_SECRET is not set. */
const secretKey = (prefix: string) => `${prefix}:gateway:token-secret`;

/** The configured secret, or the one in Redis (created once, shared by every gateway instance). */
export async function loadTokenSecret(redis: Redis, prefix: string, configured?: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured);
  await redis.set(secretKey(prefix), randomBytes(32).toString("base64url"), "NX");
  const secret = await redis.get(secretKey(prefix));
  if (!secret) throw new Error("gateway: token secret vanished from Redis");
  return Buffer.from(secret);
}

function sign(secret: Buffer, body: string): Buffer {
  return createHmac("sha256", secret).update(body).digest();
}

/** Issues a token for an API key's record, valid for `ttlSeconds`. */
export function issueToken(
  secret: Buffer,
  key: Pick<ApiKeyRecord, "id" | "name" | "rateLimit">,
  ttlSeconds: number,
  nowMs = Date.now(),
): { token: string; expiresAt: Date } {
  const iat = Math.floor(nowMs / 1000);
  const payload: TokenPayload = { kid: key.id, name: key.name, iat, exp: iat + ttlSeconds, ...(key.rateLimit ? { rl: key.rateLimit } : {}) };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return { token: `${body}.${sign(secret, body).toString("base64url")}`, expiresAt: new Date(payload.exp * 1000) };
}

/** Checks signature first (a forged token says nothing), then expiry. */
export function verifyToken(secret: Buffer, token: string, nowMs = Date.now()): TokenCheck {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return { ok: false, reason: "invalid_token" };
  const expected = sign(secret, body);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid_token" };
  let payload: TokenPayload;
  try {
    payload = TokenPayloadSchema.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    // Signed by us but unreadable: cannot happen unless the secret leaked; refuse it all the same.
    return { ok: false, reason: "invalid_token" };
  }
  return payload.exp * 1000 <= nowMs ? { ok: false, reason: "expired_token" } : { ok: true, payload };
}
