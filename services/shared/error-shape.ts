import { randomBytes } from "node:crypto";
import type { TRPCError } from "@trpc/server";

/** The parts of tRPC's default error shape this module touches. */
type ErrorShape = { message: string; data: { stack?: string } & Record<string, unknown> };

/**
 * What a tRPC error answer may tell the caller. A deliberate error (a TRPCError or AppError with a
 * code other than INTERNAL_SERVER_ERROR, a zod input error) keeps its message; an internal one (a
 * raw Error, Prisma's SQL text, an AppError INTERNAL) reads `internal error (ref <id>)`, and the
 * full error is logged on the server with the same ref. No answer carries `data.stack`.
 * For every `errorFormatter` (services' and the dashboard's).
 */
export function redactErrorShape<T extends ErrorShape>(shape: T, error: TRPCError, log: (line: string, error: unknown) => void = console.error): T {
  // tRPC adds the stack whenever NODE_ENV is not "production": it names our files and line numbers.
  const { stack: _stack, ...data } = shape.data;
  if (error.code !== "INTERNAL_SERVER_ERROR") return { ...shape, data } as T;
  const ref = randomBytes(4).toString("hex");
  log(`internal error (ref ${ref}):`, error.cause ?? error);
  return { ...shape, message: `internal error (ref ${ref})`, data } as T;
}
