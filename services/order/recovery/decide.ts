import type { OrderStyle, ShipmentStatus } from "../../contracts/index.ts";
import type { RecoveryAction } from "../orders-store.ts";

/** What the sweeper knows about a non-terminal order when it takes it. */
export type RecoveryFacts = {
  style: Exclude<OrderStyle, "saga">;
  status: "PENDING" | "CONFIRMED";
  /** What the placing flow asked for when it handed the order over (null: it never did, it died). */
  recovery: RecoveryAction | null;
  /** Why the order waits (the reason the flow recorded), if any. */
  reason: string | null;
  ageMs: number;
  giveUpAfterMs: number;
  /**
   * Shipping's answer to `getShipment` (null: no shipment), asked for choreographed and
   * CONFIRMED orders only, whose outcome shipping decides; undefined when not asked.
   */
  shipment?: ShipmentStatus | null;
};

/**
 * - resume: run the flow again (sync, hybrid PENDING; every step is idempotent per order);
 * - compensate: undo everything that may have taken effect (idempotent, leaves markers);
 * - complete: the last step is known to have succeeded; only the bookkeeping was missing;
 * - wait: nothing to do yet (events of a choreography may still be under way).
 */
export type RecoveryDecision = { action: "resume" | "compensate" | "complete" | "wait"; reason: string };

/**
 * The sweeper's decision for one order (pure). An unknown outcome is never final: the flow is
 * retried forward until `giveUpAfterMs`, then compensated; a compensation once started is
 * always finished; shipping's own record of the parcel outranks missing events.
 */
export function decideRecovery(facts: RecoveryFacts): RecoveryDecision {
  const why = facts.reason ? `: ${facts.reason}` : "";
  if (facts.recovery === "compensate") return { action: "compensate", reason: `an undo got no answer; finishing the compensation${why}` };
  if (facts.shipment === "CREATED") return { action: "complete", reason: "shipping booked the parcel; the event saying so was not applied" };
  if (facts.shipment === "REJECTED" || facts.shipment === "CANCELLED") {
    return { action: "compensate", reason: `shipping ${facts.shipment === "REJECTED" ? "refused" : "cancelled"} the parcel; undoing payment and stock` };
  }
  if (facts.ageMs >= facts.giveUpAfterMs) {
    return { action: "compensate", reason: `not finished after ${Math.round(facts.giveUpAfterMs / 1000)} s; giving up and undoing what took effect${why}` };
  }
  if (facts.status === "PENDING" && facts.style !== "choreography") {
    return {
      action: "resume",
      reason: facts.recovery === "resume" ? `a step got no answer${why}; running the flow again` : "the flow that placed it stopped (process gone); running it again",
    };
  }
  return { action: "wait", reason: facts.status === "CONFIRMED" ? "waiting for shipping's answer" : "waiting for the participants' events" };
}
