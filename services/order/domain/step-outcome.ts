import type { AppError } from "../../contracts/index.ts";

/**
 * What one forward step answered. `refused` is a business outcome (declined, out of stock, too
 * big): the step had no effect. `failed` means no usable answer (unreachable, timeout, 5xx): the
 * step may or may not have taken effect, so whoever undoes the flow undoes this step too (every
 * undo is idempotent and a no-op when there is nothing to undo).
 */
export type StepOutcome =
  | { kind: "succeeded"; detail: Record<string, unknown> }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; reason: string; error: AppError };

/** AppError codes that are answers (the call had no effect), not trouble reaching the service. */
const ANSWER_CODES = new Set(["BAD_INPUT", "NOT_FOUND", "OUT_OF_STOCK", "CONFLICT"]);

/** True when retrying might help: the dependency did not answer (see kit/resilience/classify.ts). */
export function isTransient(error: AppError): boolean {
  return !ANSWER_CODES.has(error.code);
}

/** The idempotency key of an order's charge in the sync, saga and hybrid styles: one per order. */
export function chargeKey(orderId: string): string {
  return `order:${orderId}`;
}

/** Reasons are shown to people and stored on spans: keep them short. */
export function shortReason(reason: string): string {
  return reason.length > 500 ? `${reason.slice(0, 497)}...` : reason;
}
