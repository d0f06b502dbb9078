import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { describeZodError } from "../../services/contracts/errors.ts";
import { redactErrorShape } from "../../services/shared/error-shape.ts";
import { isStatementTimeout, statementTimeoutOf, type Db } from "../db.ts";
import type { InventoryApi, OrderApi } from "./service-clients.ts";

/** What every dashboard procedure gets: the span store's DB and the services it calls. */
export type DashboardContext = {
  db: Db;
  order: OrderApi;
  inventory: InventoryApi;
};

const t = initTRPC.context<DashboardContext>().create({
  // Bad input gets a readable message (the page shows it as it is), never raw zod JSON. Internal
  // errors (Prisma's SQL text, paths) answer only a ref that the server log carries; no stacks.
  errorFormatter: ({ shape, error }) => {
    const safe = redactErrorShape(shape, error);
    return error.cause instanceof ZodError ? { ...safe, message: describeZodError(error.cause) } : safe;
  },
});

/** Router builder for the dashboard's tRPC API. */
export const router = t.router;
/** What the page shows when a read was cut off: how long it may take and what to do about it. */
function timeoutMessage(timeoutMs: number | null): string {
  const limit = timeoutMs === null ? "the statement timeout" : `${timeoutMs / 1000} s`;
  return `the query took longer than ${limit}; narrow the filter (a shorter time window, a service, a smaller limit)`;
}

/**
 * Base procedure; the dashboard has no auth yet (local sandbox). A read the statement timeout
 * (server/db.ts) cancelled becomes a clear TIMEOUT instead of a 500 carrying Prisma's text, for
 * every procedure alike. tRPC hands middlewares a failed result rather than a throw.
 */
export const publicProcedure = t.procedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok && isStatementTimeout(result.error.cause)) {
    throw new TRPCError({ code: "TIMEOUT", message: timeoutMessage(statementTimeoutOf(ctx.db)), cause: result.error.cause });
  }
  return result;
});
/** Builds server-side callers (tests, server components). */
export const createCallerFactory = t.createCallerFactory;
