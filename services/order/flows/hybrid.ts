import { AppError, Events } from "../../contracts/index.ts";
import { enqueueEventWith } from "../../kit/outbox.ts";
import type { FlowAnswer, OrderDeps } from "../deps.ts";
import { orderEvent, type FlowOrder } from "../domain/order-data.ts";
import type { CreditChecker } from "../messaging/credit-check.ts";
import { confirmation, currentAnswer, insertPendingOrder } from "../orders-store.ts";
import { chargePayment, reserveStock, undo } from "../clients/participants.ts";
import type { StepOutcome } from "../domain/step-outcome.ts";
import { runSequence } from "./sequence.ts";
import { settleFailedSequence } from "./settle.ts";

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
 * Runs (or, from the recovery sweeper, runs again) the synchronous part of a PENDING hybrid
 * order: stock, credit check, payment. On success the order becomes CONFIRMED and its
 * `OrderCreated` is written in the same transaction (transactional outbox), once: a second run
 * finds the order no longer PENDING and writes nothing.
 */
export async function runHybridFlow(deps: OrderDeps, order: FlowOrder): Promise<FlowAnswer> {
  const p = deps.participants;
  const result = await runSequence([
    { name: "reserveStock", run: () => reserveStock(p, order), undo: (why) => undo.releaseStock(p, order, why) },
    { name: "checkCredit", run: () => creditCheckStep(deps.credit, order) },
    { name: "chargePayment", run: () => chargePayment(p, order), undo: (why) => undo.refundPayment(p, order.id, why) },
  ]);
  if (!result.ok) return settleFailedSequence(deps, order.id, result);
  const confirmed = await enqueueEventWith(deps.sql, "orders", confirmation(order.id, deps.recovery.staleAfterMs), orderEvent(order, Events.ORDER_CREATED));
  if (confirmed) return { status: "CONFIRMED", reason: null };
  // Someone else moved it on (a concurrent recovery run): answer where it stands.
  return currentAnswer(deps.sql, order.id);
}

/**
 * Style `hybrid`: stock, credit check (async request/reply) and payment while the caller waits,
 * so it gets the answer: CONFIRMED (paid and reserved). `OrderCreated` then fans out
 * (publish-subscribe) to shipping, notification and analytics; the order becomes COMPLETED when
 * shipping books the parcel, or COMPENSATED (refund, release) when it refuses it
 * (messaging/flow-events.ts).
 */
export async function placeHybridOrder(deps: OrderDeps, order: FlowOrder, traceId: string): Promise<FlowAnswer> {
  await insertPendingOrder(deps.sql, order, traceId, deps.recovery.staleAfterMs);
  return runHybridFlow(deps, order);
}
