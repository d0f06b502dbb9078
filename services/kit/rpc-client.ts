import { createTRPCClient, httpLink, TRPCClientError, type TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { AppError, type DependencyPolicyInput } from "../contracts/index.ts";
import { discoveryFetch } from "./discovery/fetch.ts";
import { APP_CODE_BY_TRPC_CODE, parseAppCode } from "./errors.ts";
import { resilienceLink, TRACE_HEADERS } from "./resilience/call-link.ts";
import { TRPC_BASE_PATH } from "../shared/trpc-paths.ts";

export { withFallback } from "./resilience/fallback.ts";

/** Options of a service client. */
export type ServiceClientOptions = {
  /**
   * Resilience settings for this dependency (timeout, retry, breaker), over the defaults, the
   * built-ins and env `RESILIENCE_POLICIES`. Validated; invalid values throw here.
   */
  policy?: DependencyPolicyInput;
};

/**
 * A typed tRPC client for another service at `baseUrl` (e.g. `http://127.0.0.1:4102`). Every call
 * goes through the dependency's resilience policies (see `resilience/call-link.ts`): timeout,
 * retry of transient errors, circuit breaker, optional fallback (`withFallback`), all traced. No
 * batching, so each attempt is one HTTP request and one CLIENT span, sent over keep-alive
 * `node:http` sockets (http-fetch.ts, through discovery's fetch).
 */
export function createServiceClient<TRouter extends AnyRouter>(baseUrl: string, options: ServiceClientOptions = {}) {
  const url = new URL(baseUrl);
  // Built for AnyRouter: TS cannot resolve httpLink's transformer option for a generic TRouter;
  // our servers use no transformer, so the link is the same for every router.
  const transport = httpLink<AnyRouter>({
    url: `${url.origin}${TRPC_BASE_PATH}`,
    headers: ({ op }) => (op.context[TRACE_HEADERS] as Record<string, string> | undefined) ?? {},
    // Service discovery: each request goes to a live instance of the service named in its path
    // (balanced, failing over on refused connections); `baseUrl` only when none is registered.
    fetch: discoveryFetch,
  }) as TRPCLink<TRouter>;
  return createTRPCClient<TRouter>({ links: [resilienceLink<TRouter>(url, options.policy), transport] });
}

/** Rebuilds an AppError from a failed call; a call that never got an answer is UNAVAILABLE. */
export function toAppError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof TRPCClientError)) return new AppError("INTERNAL", `${what} failed`, { cause: error });
  const data = error.data as { appCode?: unknown; code?: unknown } | undefined;
  if (!data) return new AppError("UNAVAILABLE", `${what} is unreachable: ${error.message}`, { cause: error });
  const code = parseAppCode(data.appCode) ?? APP_CODE_BY_TRPC_CODE.get(String(data.code)) ?? "INTERNAL";
  return new AppError(code, error.message, { cause: error });
}
