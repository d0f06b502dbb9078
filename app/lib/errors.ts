import { TRPCClientError } from "@trpc/client";

/** The tRPC error code of a failed call (`NOT_FOUND`, `SERVICE_UNAVAILABLE`, ...), if any. */
export function errorCodeOf(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const code = (error.data as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : null;
}

/**
 * Errors that will not go away by asking again. TIMEOUT (a read cut off by the statement timeout)
 * counts: asking again at once would repeat the same expensive query on a database already busy.
 */
export function isPermanentError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code === "NOT_FOUND" || code === "BAD_REQUEST" || code === "TIMEOUT";
}

/** A message fit for the page: the server's own message, or a network hint. */
export function errorMessageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong talking to the dashboard server.";
}
