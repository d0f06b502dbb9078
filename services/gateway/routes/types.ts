import type { Span } from "@opentelemetry/api";
import type { Redis } from "ioredis";
import type { ApiVersion } from "../../contracts/index.ts";
import type { KeyRateLimit } from "../auth/keys.ts";
import type { GatewayEnv } from "../env.ts";
import type { Upstreams } from "../upstreams.ts";

/** What every handler can use. */
export type GatewayDeps = { env: GatewayEnv; redis: Redis; upstreams: Upstreams; tokenSecret: Buffer };

/** One authenticated, validated request. */
export type RequestContext = {
  version: ApiVersion;
  params: Record<string, string>;
  /** The query string's parameters (the last value of a repeated one). */
  query: Record<string, string>;
  body: unknown;
  auth: { keyId: string; keyName: string; method: "api_key" | "token"; rateLimit?: KeyRateLimit };
  /** The gateway's SERVER span, for the handler's own decisions (cache, degraded parts). */
  span: Span | undefined;
  deps: GatewayDeps;
};

export type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** A route of the public API, the same path under every version (`/v1/orders/:id`, `/v2/orders/:id`). */
export type Route = {
  method: "GET" | "POST";
  /** Path after the version, with `:name` parameters (`/orders/:id`). */
  path: string;
  /** The services it calls (recorded on the span as `app.gateway.upstreams`). */
  upstreams: string[];
  /** Only API keys may call it (minting tokens with a token would make them immortal). */
  apiKeyOnly?: boolean;
  handle(ctx: RequestContext): Promise<Answer>;
};
