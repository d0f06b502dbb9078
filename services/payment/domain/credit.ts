import { DemoCustomers } from "../../contracts/index.ts";

/** The credit limit of an account opened on a customer's first charge ($50,000). */
export const DEFAULT_CREDIT_LIMIT_CENTS = 5_000_000;

/** Accounts opened with a fixed limit instead of the default (demo customers). */
export function creditLimitFor(customerId: string): number {
  return customerId === DemoCustomers.BROKE ? 0 : DEFAULT_CREDIT_LIMIT_CENTS;
}

/** Why a charge was declined, as shown to the customer. */
export function declineReason(amountCents: number): string {
  return `payment declined: insufficient credit for ${(amountCents / 100).toFixed(2)}`;
}

/** A single order above this needs a manual review: the credit check rejects it. */
export const CREDIT_CHECK_MAX_CENTS = 1_000_000;

/**
 * The credit (fraud) check: pure rules, so the same request always gets the same answer.
 * Rejects the flagged demo customer and any single order above CREDIT_CHECK_MAX_CENTS.
 */
export function assessCredit(customerId: string, amountCents: number): { approved: boolean; reason: string | null } {
  if (customerId === DemoCustomers.FRAUD) return { approved: false, reason: "credit check: customer flagged for review" };
  if (amountCents > CREDIT_CHECK_MAX_CENTS) {
    return { approved: false, reason: `credit check: ${(amountCents / 100).toFixed(2)} exceeds the single-order limit` };
  }
  return { approved: true, reason: null };
}
