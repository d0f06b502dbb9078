import type { FlowAnswer, OrderDeps } from "../deps.ts";
import { finishOrder, parkOrder } from "../orders-store.ts";
import { shortReason } from "../participants.ts";
import type { SequenceResult } from "./sequence.ts";

/** How soon the sweeper first retries an order its flow handed over. */
export const FIRST_RETRY_MS = 1_000;

/**
 * Where a sync or hybrid sequence that did not succeed leaves its order:
 * - refused: terminal now (COMPENSATED when something was undone, else REJECTED);
 * - unknown: PENDING, to be resumed (the reason says what is delayed, e.g. the payment fallback);
 * - undo-failed: PENDING, to be compensated by the sweeper.
 */
export async function settleFailedSequence(deps: Pick<OrderDeps, "db">, orderId: string, result: Extract<SequenceResult, { ok: false }>): Promise<FlowAnswer> {
  const reason = shortReason(result.reason);
  switch (result.outcome) {
    case "refused":
      return finishOrder(deps.db, orderId, result.anyUndone ? "COMPENSATED" : "REJECTED", reason);
    case "unknown":
      return parkOrder(deps.db, orderId, "resume", reason, FIRST_RETRY_MS);
    case "undo-failed":
      return parkOrder(deps.db, orderId, "compensate", shortReason(`${reason}; compensation pending: ${result.undoError}`), FIRST_RETRY_MS);
  }
}
