import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";

/**
 * Runs `fn` with tracing suppressed: for the kit's own Redis and queue housekeeping (polling,
 * dead-letter moves, job adds), whose spans would be noise; the span that matters says what happened.
 */
export function untraced<T>(fn: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), fn);
}
