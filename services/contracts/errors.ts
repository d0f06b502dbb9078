/** What one error code is at each boundary (see ERROR_CODES). */
export type ErrorCodeInfo = {
  /** The tRPC code a service answers with (so also the HTTP status tRPC sends between services). */
  readonly trpc: "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "SERVICE_UNAVAILABLE" | "TIMEOUT" | "INTERNAL_SERVER_ERROR";
  /** The status the gateway answers when a service behind it raised the code (the public API). */
  readonly http: 400 | 404 | 409 | 502 | 503 | 504;
  /** "Could not do it right now": worth a retry and counted against the dependency's breaker. */
  readonly retryable: boolean;
  /**
   * A narrower kind of another code that shares its tRPC code and HTTP status: where only those
   * travel (no `appCode`), it reads back as the wider code.
   */
  readonly refines?: string;
};

/**
 * The closed set of error codes any service may raise, and the one list every error table is
 * derived from: AppError -> tRPC code (services/kit/errors.ts), tRPC code -> AppError
 * (services/kit/rpc-client.ts), AppError -> HTTP status (services/gateway/http/respond.ts), and
 * upstream answer -> dashboard code (server/routers/upstream-errors.ts).
 */
export const ERROR_CODES = {
  BAD_INPUT: { trpc: "BAD_REQUEST", http: 400, retryable: false },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404, retryable: false },
  OUT_OF_STOCK: { trpc: "CONFLICT", http: 409, retryable: false, refines: "CONFLICT" },
  CONFLICT: { trpc: "CONFLICT", http: 409, retryable: false },
  UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503, retryable: true },
  // At the edge TIMEOUT and INTERNAL are the fault of what is behind the gateway: 504 and 502.
  TIMEOUT: { trpc: "TIMEOUT", http: 504, retryable: true },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", http: 502, retryable: true },
} as const satisfies Record<string, ErrorCodeInfo>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every error code, in the order of ERROR_CODES. */
export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as ErrorCode[];

/** True when `value` is one of the error codes (e.g. an `appCode` read off the wire). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** `ERROR_CODES` as a table from each code to its value at one boundary. */
export function errorTable<F extends "trpc" | "http" | "retryable">(field: F): { [C in ErrorCode]: (typeof ERROR_CODES)[C][F] } {
  return Object.fromEntries(ERROR_CODE_NAMES.map((code) => [code, ERROR_CODES[code][field]])) as { [C in ErrorCode]: (typeof ERROR_CODES)[C][F] };
}

/**
 * The way back: the tRPC code or HTTP status -> the error code it stands for. A code that
 * `refines` another is left out (409 reads as CONFLICT); values no code has are not in the map.
 */
export function errorCodeBy(field: "trpc" | "http"): ReadonlyMap<string | number, ErrorCode> {
  const entries = ERROR_CODE_NAMES.filter((code) => !("refines" in ERROR_CODES[code])).map((code) => [ERROR_CODES[code][field], code] as const);
  return new Map<string | number, ErrorCode>(entries);
}

/** The one error type services throw. Wrap unknown errors with `cause`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
  }
}

/** `field: what is wrong` per issue of a zod error, for people (zod's own message is a JSON dump). */
export function describeZodError(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message)).join("; ");
}
