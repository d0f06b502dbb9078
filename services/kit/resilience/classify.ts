import { TRPCClientError } from "@trpc/client";
import { isBrokenCircuitError, TaskCancelledError } from "cockatiel";
import { AppError, ERROR_CODES } from "../../contracts/index.ts";
import { parseAppCode } from "../errors.ts";

/**
 * True when cockatiel's timeout cancelled the attempt. Not cockatiel's `isTaskCancelledError`:
 * in 3.2.1 it tests for the `isBulkheadRejectedError` marker, so it never matches a timeout.
 */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof TaskCancelledError;
}

/**
 * True for failures worth retrying and counting against a dependency's breaker: no answer at all
 * (connection refused/reset, DNS, aborted by our timeout), TIMEOUT/UNAVAILABLE, or any 5xx.
 * Business outcomes and caller mistakes (BAD_INPUT, NOT_FOUND, OUT_OF_STOCK, CONFLICT, 4xx) are
 * answers: retrying cannot change them and they say nothing about the dependency's health.
 */
export function isTransientError(error: unknown): boolean {
  if (isBrokenCircuitError(error)) return false;
  if (isTimeoutError(error)) return true;
  if (error instanceof AppError) return ERROR_CODES[error.code].retryable;
  if (!(error instanceof TRPCClientError)) return false;
  const data = error.data as { appCode?: unknown; httpStatus?: unknown } | undefined;
  // No error shape means the request never got a tRPC answer: a network-level failure.
  if (!data) return true;
  const appCode = parseAppCode(data.appCode);
  if (appCode) return ERROR_CODES[appCode].retryable;
  return typeof data.httpStatus === "number" ? data.httpStatus >= 500 || data.httpStatus === 408 : false;
}

/** True when the request never reached the dependency (refused connection), so repeating it is safe. */
export function isNeverSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if ((e as { code?: unknown }).code === "ECONNREFUSED") return true;
  }
  return false;
}
