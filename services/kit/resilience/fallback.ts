import type { TRPCClientError } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";

/** Key under a call's `context` where `withFallback` leaves the fallback for the resilience link. */
export const FALLBACK_KEY = "switchyardFallback";

/** What to answer instead when a dependency is unavailable (breaker open, retries exhausted, timeout). */
export type FallbackOption = { description: string; value: (failure: TRPCClientError<AnyRouter>) => unknown };

/**
 * Call options giving this call a fallback, e.g.
 * `payment.charge.mutate(input, withFallback("payment delayed, try again later", () => ({ status: "DELAYED" })))`.
 * Used only for transient failures: business outcomes (declined, not found) still reach the caller.
 * The description lands on the spans as `app.fallback.used`.
 */
export function withFallback<T>(description: string, value: (failure: TRPCClientError<AnyRouter>) => T): { context: Record<string, unknown> } {
  const option: FallbackOption = { description, value };
  return { context: { [FALLBACK_KEY]: option } };
}
