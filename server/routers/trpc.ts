import { initTRPC } from "@trpc/server";
import { ZodError } from "zod";
import { describeZodError } from "../../services/contracts/errors.ts";
import { redactErrorShape } from "../../services/shared/error-shape.ts";
import type { Db } from "../db.ts";
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
/** Base procedure; the dashboard has no auth yet (local sandbox). */
export const publicProcedure = t.procedure;
/** Builds server-side callers (tests, server components). */
export const createCallerFactory = t.createCallerFactory;
