import type { IncomingMessage, ServerResponse } from "node:http";
import { SpanKind, trace, type Span } from "@opentelemetry/api";
import { API_VERSIONS, Attr, type ApiVersion } from "../../contracts/index.ts";
import { allowedHostList } from "../../shared/host-allow-list.ts";
import { recordSpanError, refuseMisdirected } from "../../kit/trpc.ts";
import type { Authenticator, AuthResult } from "../auth/authenticate.ts";
import { takeToken } from "../rate-limit.ts";
import { matchRoute } from "../routes/table.ts";
import type { GatewayDeps, RequestContext } from "../routes/types.ts";
import { readJsonBody } from "./body.ts";
import { GatewayHttpError, sendError, sendJson, toHttpError } from "./respond.ts";

/** The HTTP SERVER span the http instrumentation opened for this request. */
function serverSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return (span as { kind?: SpanKind } | undefined)?.kind === SpanKind.SERVER ? span : undefined;
}

function splitVersion(pathname: string): { version: ApiVersion; rest: string } | null {
  const match = /^\/(v\d+)(\/.*)$/.exec(pathname);
  const version = match?.[1] as ApiVersion | undefined;
  return version && API_VERSIONS.includes(version) ? { version, rest: match![2]! } : null;
}

function unauthorized(auth: Extract<AuthResult, { ok: false }>): GatewayHttpError {
  const messages = {
    missing: "send an API key (x-api-key) or a token (authorization: Bearer ...)",
    invalid_key: "unknown API key",
    invalid_token: "invalid token",
    expired_token: "token expired",
    revoked_key: "the API key this token was issued for no longer exists",
  } as const;
  return new GatewayHttpError(401, "UNAUTHORIZED", messages[auth.reason], undefined, { "www-authenticate": 'Bearer realm="switchyard"' });
}

/** Authentication then rate limiting: both before any service sees the request. */
async function admit(req: IncomingMessage, span: Span | undefined, deps: GatewayDeps, auth: Authenticator) {
  const result = await auth.authenticate(req);
  span?.setAttribute(Attr.GATEWAY_AUTH_RESULT, result.ok ? "ok" : result.reason);
  if (result.method) span?.setAttribute(Attr.GATEWAY_AUTH_METHOD, result.method);
  if (!result.ok) throw unauthorized(result);
  span?.setAttribute(Attr.GATEWAY_KEY_ID, result.keyId);
  const settings = result.rateLimit ?? { ratePerSecond: deps.env.GATEWAY_RATE_LIMIT_RPS, burst: deps.env.GATEWAY_RATE_LIMIT_BURST };
  const limit = await takeToken(deps.redis, deps.env.REDIS_PREFIX, result.keyId, settings);
  span?.setAttributes({
    [Attr.GATEWAY_RATE_LIMIT_ALLOWED]: limit.allowed,
    [Attr.GATEWAY_RATE_LIMIT_REMAINING]: limit.remaining,
    [Attr.GATEWAY_RATE_LIMIT_LIMIT]: limit.limit,
  });
  const headers = { "ratelimit-limit": String(limit.limit), "ratelimit-remaining": String(limit.remaining) };
  if (!limit.allowed) {
    const retryAfter = String(Math.max(1, Math.ceil(limit.retryAfterMs / 1000)));
    throw new GatewayHttpError(429, "RATE_LIMITED", `rate limit of ${settings.ratePerSecond}/s exceeded`, undefined, { ...headers, "retry-after": retryAfter });
  }
  return { auth: result, headers };
}

/** One request: version, auth, rate limit, route, body, handler. Every decision lands on the span. */
async function handle(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps, auth: Authenticator, span: Span | undefined): Promise<void> {
  const method = req.method ?? "GET";
  const { pathname, searchParams } = new URL(req.url ?? "/", "http://gateway");
  const versioned = splitVersion(pathname);
  if (!versioned) throw new GatewayHttpError(404, "NOT_FOUND", `no route ${pathname}; the API lives under /v1 and /v2`);
  span?.setAttribute(Attr.GATEWAY_API_VERSION, versioned.version);
  const admitted = await admit(req, span, deps, auth);
  const match = matchRoute(method, versioned.rest);
  if (!match.route) {
    const error = match.allowed.length
      ? new GatewayHttpError(405, "METHOD_NOT_ALLOWED", `${method} not allowed`, undefined, { allow: match.allowed.join(", ") })
      : new GatewayHttpError(404, "NOT_FOUND", `no route ${pathname}`);
    throw error;
  }
  const { route, params } = match;
  const template = `/${versioned.version}${route.path}`;
  span?.updateName(`${method} ${template}`);
  span?.setAttributes({ [Attr.HTTP_ROUTE]: template, [Attr.GATEWAY_ROUTE]: route.path, [Attr.GATEWAY_UPSTREAMS]: route.upstreams });
  if (route.apiKeyOnly && admitted.auth.method !== "api_key") throw new GatewayHttpError(403, "FORBIDDEN", "only an API key may do this");
  const body = method === "POST" ? await readJsonBody(req, deps.env.GATEWAY_MAX_BODY_BYTES) : undefined;
  const query = Object.fromEntries(searchParams);
  const ctx: RequestContext = { version: versioned.version, params, query, body, auth: admitted.auth, span, deps };
  const answer = await route.handle(ctx);
  sendJson(res, answer.status, answer.body, { ...admitted.headers, ...answer.headers });
}

/**
 * The gateway's request listener (for `http.createServer`). A Host not on the allow-list (loopback
 * and `ALLOWED_HOSTS`) gets 421 before anything else: a DNS-rebound page must not reach the API.
 */
export function createGatewayListener(deps: GatewayDeps, auth: Authenticator) {
  const allowedHosts = allowedHostList(deps.env.ALLOWED_HOSTS);
  return (req: IncomingMessage, res: ServerResponse): void => {
    const span = serverSpan();
    if (refuseMisdirected(req, res, allowedHosts)) return void span?.setAttribute(Attr.ERROR_TYPE, "MISDIRECTED_REQUEST");
    if (req.url === "/health" && req.method === "GET") return sendJson(res, 200, { ok: true });
    handle(req, res, deps, auth, span).catch((error: unknown) => {
      const httpError = toHttpError(error);
      if (span && httpError.status >= 500) recordSpanError(span, error, httpError.code);
      else span?.setAttribute(Attr.ERROR_TYPE, httpError.code);
      if (!res.headersSent) sendError(res, httpError);
      // Whatever the client still sends (an oversized or unread body) is not read.
      if (!req.complete) req.resume();
    });
  };
}
