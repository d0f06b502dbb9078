import { TRPCError } from "@trpc/server";
import { AppError, errorCodeBy, errorTable, isErrorCode, type ErrorCode } from "../contracts/index.ts";

type TrpcCode = TRPCError["code"];

/** The one place AppError codes become tRPC (and so HTTP) codes: the `trpc` of contracts' ERROR_CODES. */
export const TRPC_CODE_BY_APP_CODE: Readonly<Record<ErrorCode, TrpcCode>> = errorTable("trpc");

/**
 * The way back, for answers without an `appCode` (input validation, a server's own timeout):
 * each tRPC code of the table to its AppError code, CONFLICT for the two sharing it.
 */
export const APP_CODE_BY_TRPC_CODE = errorCodeBy("trpc");

/** Turns whatever a procedure threw (tRPC wraps it as `cause`) into the TRPCError to send. */
export function toTrpcError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (!(cause instanceof AppError)) return error;
  return new TRPCError({ code: TRPC_CODE_BY_APP_CODE[cause.code], message: cause.message, cause });
}

/** The AppError code carried by a tRPC error, if a service raised one. */
export function appCodeOf(error: TRPCError): ErrorCode | null {
  return error.cause instanceof AppError ? error.cause.code : null;
}

/** Reads an AppError code back from a client-side error's `data.appCode` (see the formatter). */
export function parseAppCode(value: unknown): ErrorCode | null {
  return isErrorCode(value) ? value : null;
}
