import { TRPCClientError } from "@trpc/client";
import { parseAppCode } from "../errors.ts";
import type { ResiliencePolicy } from "./policy.ts";

/** The `error.type` of a failed call: the service's AppError code, the tRPC code, or the socket error. */
export function errorTypeOf(error: unknown): string {
  if (!(error instanceof TRPCClientError)) return "UNKNOWN";
  const data = error.data as { appCode?: unknown; code?: unknown } | undefined;
  const cause = error.cause as { cause?: { code?: unknown } } | undefined;
  return parseAppCode(data?.appCode) ?? (typeof data?.code === "string" ? data.code : null)
    ?? (typeof cause?.cause?.code === "string" ? cause.cause.code : "UNAVAILABLE");
}

/** A client-side error shaped like a server's answer, so `toAppError` and callers read one format. */
function clientSideError(message: string, code: string, httpStatus: number, appCode: string): TRPCClientError<never> {
  return new TRPCClientError(message, {
    result: { error: { code: -32603, message, data: { code, httpStatus, appCode } } },
  } as never);
}

/** Our per-attempt timeout fired (AppError code TIMEOUT). */
export function timeoutError(policy: ResiliencePolicy, path: string): TRPCClientError<never> {
  return clientSideError(`${path} timed out after ${policy.settings.timeoutMs} ms`, "TIMEOUT", 408, "TIMEOUT");
}

/** The breaker short-circuited the call (AppError code UNAVAILABLE). */
export function unavailableError(policy: ResiliencePolicy, path: string): TRPCClientError<never> {
  return clientSideError(`${path} not called: circuit breaker ${policy.name} is open`, "SERVICE_UNAVAILABLE", 503, "UNAVAILABLE");
}
