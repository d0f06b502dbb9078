import type { IncomingMessage } from "node:http";
import type { Redis } from "ioredis";
import { GatewayHeaders } from "../../contracts/index.ts";
import { findApiKey, isApiKeyIdLive, type ApiKeyRecord, type KeyRateLimit } from "./keys.ts";
import { verifyToken } from "./tokens.ts";

/** Who is calling, or why nobody valid is. */
export type AuthResult =
  | { ok: true; method: "api_key" | "token"; keyId: string; keyName: string; rateLimit?: KeyRateLimit }
  | { ok: false; method: "api_key" | "token" | null; reason: "missing" | "invalid_key" | "invalid_token" | "expired_token" | "revoked_key" };

/** Valid keys seen recently, so a busy client costs one Redis read per key per interval, not per request. */
const KEY_CACHE_MS = 5000;

/** Authenticates requests by `x-api-key` or `authorization: Bearer <token>`. */
export class Authenticator {
  private readonly recent = new Map<string, { record: ApiKeyRecord; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly secret: Buffer,
  ) {}

  async authenticate(req: IncomingMessage): Promise<AuthResult> {
    const key = req.headers[GatewayHeaders.API_KEY];
    const authorization = req.headers[GatewayHeaders.AUTHORIZATION];
    if (typeof key === "string" && key.length > 0) {
      const record = await this.lookupKey(key);
      if (!record) return { ok: false, method: "api_key", reason: "invalid_key" };
      return { ok: true, method: "api_key", keyId: record.id, keyName: record.name, rateLimit: record.rateLimit };
    }
    if (typeof authorization === "string" && /^Bearer\s+\S+$/i.test(authorization)) {
      const check = verifyToken(this.secret, authorization.replace(/^Bearer\s+/i, ""));
      if (!check.ok) return { ok: false, method: "token", reason: check.reason };
      // A token dies with its key. Not cached: a cache here would keep a deleted key's tokens
      // alive on every other gateway instance, and the check is one Redis round trip.
      if (!(await isApiKeyIdLive(this.redis, this.prefix, check.payload.kid))) return { ok: false, method: "token", reason: "revoked_key" };
      return { ok: true, method: "token", keyId: check.payload.kid, keyName: check.payload.name, rateLimit: check.payload.rl };
    }
    return { ok: false, method: null, reason: "missing" };
  }

  private async lookupKey(key: string): Promise<ApiKeyRecord | null> {
    const cached = this.recent.get(key);
    if (cached && cached.until > Date.now()) return cached.record;
    const record = await findApiKey(this.redis, this.prefix, key);
    if (record) this.recent.set(key, { record, until: Date.now() + KEY_CACHE_MS });
    else this.recent.delete(key);
    return record;
  }
}
