import { AppError, Events } from "../../contracts/index.ts";
import { enqueueEvent } from "../../kit/outbox.ts";
import type { FlowAnswer, OrderDeps } from "../deps.ts";
import { orderEvent, type FlowOrder } from "../domain/order-data.ts";
import type { CreditChecker } from "../messaging/credit-check.ts";
import { insertPendingOrder, setOrderStatus } from "../orders-store.ts";
import { chargePayment, reserveStock, type StepOutcome, undo } from "../participants.ts";
import { failedStatus } from "./sync.ts";
import { runSequence } from "./sequence.ts";

/**
 * The credit check as a step. A timeout fails the order: the caller is waiting, and a check
 * that has no effect needs no undo. (The saga retries instead; see saga/steps.ts.)
 */
export async function creditCheckStep(credit: CreditChecker, order: FlowOrder): Promise<StepOutcome> {
  try {
    const decision = await credit.check(order);
    return decision.approved
      ? { kind: "succeeded", detail: { approved: true } }
      : { kind: "refused", reason: decision.reason ?? "credit check rejected" };
  } catch (error) {
    if (error instanceof AppError) return { kind: "refused", reason: error.message };
    throw error;
  }
}

/**
 * Style `hybrid`: stock, credit check (async request/reply) and payment while the caller waits,
 * so it gets the answer; then COMPLETED and `OrderCreated` in one transaction, which the relay
 * fans out (publish-subscribe) to shipping, notification and analytics. If shipping later
 * rejects the parcel, messaging/flow-events.ts refunds, releases and marks it COMPENSATED.
 */
export async function placeHybridOrder(deps: OrderDeps, order: FlowOrder, traceId: string): Promise<FlowAnswer> {
  const p = deps.participants;
  await insertPendingOrder(deps.db, order, traceId);
  const result = await runSequence([
    { name: "reserveStock", run: () => reserveStock(p, order), undo: (why) => undo.releaseStock(p, order.id, why) },
    { name: "checkCredit", run: () => creditCheckStep(deps.credit, order) },
    { name: "chargePayment", run: () => chargePayment(p, order), undo: (why) => undo.refundPayment(p, order.id, why) },
  ]);
  if (!result.ok) {
    const answer = failedStatus(result);
    await setOrderStatus(deps.db, order.id, answer.status, answer.reason);
    return answer;
  }
  await deps.db.$transaction(async (tx) => {
    await setOrderStatus(tx, order.id, "COMPLETED", null);
    await enqueueEvent(tx, "orders", orderEvent(order, Events.ORDER_CREATED));
  });
  return { status: "COMPLETED", reason: null };
}
