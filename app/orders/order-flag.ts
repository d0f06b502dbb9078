import { isTerminalOrderStatus, type Order } from "../../services/contracts/order.ts";

/** A non-terminal order older than this without a recovery under way is flagged stuck. */
export const STUCK_AFTER_MS = 60_000;

/** What the Orders page says about an order that is not where it should be, or null. */
export type OrderFlag = { label: "recovering" | "stuck"; why: string };

function inSeconds(iso: string, now: number): string {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  return s <= 0 ? "now" : `in ${s} s`;
}

/**
 * `recovering` while the order service's recovery sweeper is finishing the order (what it does,
 * attempt, next try, why); `stuck` when it is not terminal long after it was placed.
 */
export function orderFlag(order: Pick<Order, "status" | "reason" | "createdAt" | "recovery">, now: number): OrderFlag | null {
  if (isTerminalOrderStatus(order.status)) return null;
  const ageMs = now - Date.parse(order.createdAt);
  const why = order.reason ? `: ${order.reason}` : "";
  if (order.recovery) {
    const { action, attempts, nextAttemptAt } = order.recovery;
    const next = nextAttemptAt ? `, next ${inSeconds(nextAttemptAt, now)}` : "";
    const what = action === "resume" ? "retrying the flow" : "finishing the compensation";
    // attempts 0: its flow handed it over and the sweeper has not taken it yet.
    const attempt = attempts === 0 ? "handed over" : `attempt ${attempts}`;
    return { label: ageMs > 5 * STUCK_AFTER_MS ? "stuck" : "recovering", why: `${what} (${attempt}${next})${why}` };
  }
  if (ageMs > STUCK_AFTER_MS) {
    return { label: "stuck", why: `${order.status} for ${Math.round(ageMs / 1000)} s with no recovery under way${why}` };
  }
  return null;
}
