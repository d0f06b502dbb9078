/** The closed set of error codes any service may raise. Mapped to tRPC codes in one place (kit). */
export const ERROR_CODES = [
  "BAD_INPUT",
  "NOT_FOUND",
  "OUT_OF_STOCK",
  "CONFLICT",
  "UNAVAILABLE",
  "TIMEOUT",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

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
