import { trace } from "@opentelemetry/api";
import { Attr, Events, type EventEnvelope } from "../../contracts/index.ts";
import type { Tx } from "../db.ts";
import { deriveEvent, withHandlerSpan } from "../../kit/events.ts";
import { enqueueEvent } from "../../kit/outbox.ts";
import { chargeInTx, refundInTx } from "../payments.ts";

/** The idempotency key of an order's charge in the event-driven flow: one per order. */
export function choreographyChargeKey(orderId: string): string {
  return `choreography:${orderId}`;
}

/** Only choreographed orders make payment react to events (the other styles call it directly). */
export const isChoreography = (event: EventEnvelope): boolean => event.style === "choreography";

/** OrderCreated -> charge -> PaymentCompleted or PaymentDeclined, in the handler's transaction. */
export async function chargeForOrder(event: EventEnvelope, tx: Tx): Promise<void> {
  if (event.name !== Events.ORDER_CREATED) return;
  const result = await withHandlerSpan("payment.charge", event, async () => {
    const charge = await chargeInTx(tx, {
      orderId: event.orderId,
      customerId: event.order.customerId,
      amountCents: event.order.amountCents,
      idempotencyKey: choreographyChargeKey(event.orderId),
    });
    if (charge.paymentId) trace.getActiveSpan()?.setAttribute(Attr.PAYMENT_ID, charge.paymentId);
    return charge;
  }, { [Attr.PAYMENT_AMOUNT]: event.order.amountCents });
  const next = result.charged ? deriveEvent(event, Events.PAYMENT_COMPLETED) : deriveEvent(event, Events.PAYMENT_DECLINED, result.reason);
  await enqueueEvent(tx, "payment", next);
}

/**
 * Compensation: a later step failed (InventoryRejected, ShipmentRejected), so the charge is
 * refunded and PaymentRefunded announces it. Visible as a `payment.refund` span with the reason.
 */
export async function refundForOrder(event: EventEnvelope, tx: Tx): Promise<void> {
  if (event.name !== Events.INVENTORY_REJECTED && event.name !== Events.SHIPMENT_REJECTED) return;
  const reason = `${event.name}: ${event.reason ?? "no reason given"}`;
  const result = await withHandlerSpan("payment.refund", event, () => refundInTx(tx, event.orderId, reason));
  if (result.refunded) await enqueueEvent(tx, "payment", deriveEvent(event, Events.PAYMENT_REFUNDED, reason));
}
