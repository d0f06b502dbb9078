import { TRPCError } from "@trpc/server";
import { AppError, ERROR_CODES, type ErrorCode } from "../contracts/index.ts";

type TrpcCode = TRPCError["code"];

/** The one place AppError codes become tRPC (and so HTTP) codes. */
const TRPC_CODE_BY_APP_CODE: Record<ErrorCode, TrpcCode> = {
  BAD_INPUT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  OUT_OF_STOCK: "CONFLICT",
  CONFLICT: "CONFLICT",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  TIMEOUT: "TIMEOUT",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

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
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value)
    ? (value as ErrorCode)
    : null;
}
