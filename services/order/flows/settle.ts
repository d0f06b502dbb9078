import type { TemplateStatements } from "../../kit/db.ts";
import type { FlowAnswer, OrderDeps } from "../deps.ts";
import { finishOrder, parkOrder } from "../orders-store.ts";
import { shortReason } from "../domain/step-outcome.ts";
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
      return handOverCompensation(deps.db, orderId, reason, result.undoError);
  }
}

/** Leaves an order whose undo got no answer to the recovery sweeper, which finishes undoing it. */
export function handOverCompensation(db: TemplateStatements, orderId: string, reason: string, error: unknown): Promise<FlowAnswer> {
  const why = error instanceof Error ? error.message : String(error);
  return parkOrder(db, orderId, "compensate", shortReason(`${reason}; compensation pending: ${why}`), FIRST_RETRY_MS);
}

/**
 * Runs `undoing` (idempotent undos; resolves the steps that really undid something) and ends the
 * order: COMPENSATED when something was undone, REJECTED when nothing had taken effect, or handed
 * to the sweeper when an undo got no answer.
 */
export async function compensateOrder(db: TemplateStatements, orderId: string, reason: string, undoing: () => Promise<string[]>): Promise<FlowAnswer> {
  let undone: string[];
  try {
    undone = await undoing();
  } catch (error) {
    return handOverCompensation(db, orderId, reason, error);
  }
  return finishOrder(db, orderId, undone.length > 0 ? "COMPENSATED" : "REJECTED", reason);
}
