/**
 * The procedure every span-store read goes through: the statement timeout (server/db.ts) turns
 * into a clear TIMEOUT instead of a 500 carrying Prisma's text.
 */
import { TRPCError } from "@trpc/server";
import { isStatementTimeout, statementTimeoutOf } from "../db.ts";
import { publicProcedure } from "./trpc.ts";

/** What the page shows when a read was cut off: how long it may take and what to do about it. */
export function timeoutMessage(timeoutMs: number | null): string {
  const limit = timeoutMs === null ? "the statement timeout" : `${timeoutMs / 1000} s`;
  return `the query took longer than ${limit}; narrow the filter (a shorter time window, a service, a smaller limit)`;
}

/**
 * `publicProcedure` for procedures that read `ctx.db`. tRPC hands middlewares a failed result
 * rather than a throw; a cancelled statement becomes TIMEOUT with the original error as cause.
 */
export const readProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok && isStatementTimeout(result.error.cause)) {
    throw new TRPCError({ code: "TIMEOUT", message: timeoutMessage(statementTimeoutOf(ctx.db)), cause: result.error.cause });
  }
  return result;
});
