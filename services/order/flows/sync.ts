import type { OrderDeps, FlowAnswer } from "../deps.ts";
import type { FlowOrder } from "../domain/order-data.ts";
import { insertPendingOrder, setOrderStatus } from "../orders-store.ts";
import { chargePayment, createShipment, reserveStock, shortReason, undo } from "../participants.ts";
import { runSequence, type SequenceResult } from "./sequence.ts";

/** The terminal status of a failed sequence: nothing took effect, or what did was undone. */
export function failedStatus(result: Extract<SequenceResult, { ok: false }>): FlowAnswer {
  return { status: result.anySucceeded ? "COMPENSATED" : "REJECTED", reason: shortReason(result.reason) };
}

/**
 * Style `sync`: inventory, payment and shipping over tRPC, one after the other, while the caller
 * waits; on a failed step the ones that succeeded are undone in reverse (cancel, refund, release).
 */
export async function placeSyncOrder(deps: OrderDeps, order: FlowOrder, traceId: string): Promise<FlowAnswer> {
  const p = deps.participants;
  await insertPendingOrder(deps.db, order, traceId);
  const result = await runSequence([
    { name: "reserveStock", run: () => reserveStock(p, order), undo: (why) => undo.releaseStock(p, order.id, why) },
    { name: "chargePayment", run: () => chargePayment(p, order), undo: (why) => undo.refundPayment(p, order.id, why) },
    { name: "createShipment", run: () => createShipment(p, order), undo: (why) => undo.cancelShipment(p, order.id, why) },
  ]);
  const answer: FlowAnswer = result.ok ? { status: "COMPLETED", reason: null } : failedStatus(result);
  await setOrderStatus(deps.db, order.id, answer.status, answer.reason);
  return answer;
}
