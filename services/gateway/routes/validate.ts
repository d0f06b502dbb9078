import type { z } from "zod";
import { GatewayHttpError } from "../http/respond.ts";

/** Parses `value` with `schema`, or answers 400 listing every problem (nothing is called). */
export function validate<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  throw new GatewayHttpError(400, "BAD_INPUT", `invalid ${what}`, details);
}
