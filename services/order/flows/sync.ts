import type { OrderDeps, FlowAnswer } from "../deps.ts";
import type { FlowOrder } from "../domain/order-data.ts";
import { finishOrder, insertPendingOrder } from "../orders-store.ts";
import { chargePayment, createShipment, reserveStock, undo, type Participants } from "../clients/participants.ts";
import { runSequence, type SequenceStep } from "./sequence.ts";
import { settleFailedSequence } from "./settle.ts";

/** The sync flow's steps; every one is idempotent per order, so the flow can be run again. */
export function syncSteps(p: Participants, order: FlowOrder): SequenceStep[] {
  return [
    { name: "reserveStock", run: () => reserveStock(p, order), undo: (why) => undo.releaseStock(p, order, why) },
    { name: "chargePayment", run: () => chargePayment(p, order), undo: (why) => undo.refundPayment(p, order.id, why) },
    { name: "createShipment", run: () => createShipment(p, order), undo: (why) => undo.cancelShipment(p, order.id, why) },
  ];
}

/**
 * Runs (or, from the recovery sweeper, runs again) the sync flow of a PENDING order and records
 * where it ended: COMPLETED, refused (REJECTED or COMPENSATED), or handed to the sweeper.
 */
export async function runSyncFlow(deps: OrderDeps, order: FlowOrder): Promise<FlowAnswer> {
  const result = await runSequence(syncSteps(deps.participants, order));
  if (result.ok) return finishOrder(deps.db, order.id, "COMPLETED", null);
  return settleFailedSequence(deps, order.id, result);
}

/**
 * Style `sync`: inventory, payment and shipping over tRPC, one after the other, while the caller
 * waits; on a refusal the steps that succeeded are undone in reverse (cancel, refund, release).
 * A step that gets no answer does not fail the order: it answers PENDING with what is delayed
 * (payment's fallback: "payment delayed, we will confirm") and the recovery sweeper finishes it.
 */
export async function placeSyncOrder(deps: OrderDeps, order: FlowOrder, traceId: string): Promise<FlowAnswer> {
  await insertPendingOrder(deps.db, order, traceId, deps.recovery.staleAfterMs);
  return runSyncFlow(deps, order);
}
