import { trace } from "@opentelemetry/api";
import { Attr, Events, type EventEnvelope } from "../../contracts/index.ts";
import type { PgTx } from "../../kit/pg-tx.ts";
import { deriveEvent, withHandlerSpan } from "../../kit/events.ts";
import { enqueueEvent } from "../../kit/outbox.ts";
import { createInTx } from "../shipments.ts";

/**
 * Which events make shipping book a shipment: InventoryReserved of a choreographed order (the
 * next step of the chain), and OrderCreated of a hybrid order (the asynchronous fan-out after
 * stock and payment were settled synchronously).
 */
export function isShippingTrigger(event: EventEnvelope): boolean {
  if (event.style === "choreography") return event.name === Events.INVENTORY_RESERVED;
  if (event.style === "hybrid") return event.name === Events.ORDER_CREATED;
  return false;
}

/** Books the shipment -> ShipmentCreated or ShipmentRejected, in the handler's transaction. */
export async function shipOrder(event: EventEnvelope, tx: PgTx): Promise<void> {
  if (!isShippingTrigger(event)) return;
  const result = await withHandlerSpan("shipping.create", event, async () => {
    const created = await createInTx(tx, {
      orderId: event.orderId,
      customerId: event.order.customerId,
      productId: event.order.productId,
      quantity: event.order.quantity,
    });
    if (created.shipmentId) trace.getActiveSpan()?.setAttribute(Attr.SHIPMENT_ID, created.shipmentId);
    return created;
  }, { [Attr.QUANTITY]: event.order.quantity });
  const next = result.created ? deriveEvent(event, Events.SHIPMENT_CREATED) : deriveEvent(event, Events.SHIPMENT_REJECTED, result.reason);
  await enqueueEvent(tx, "shipping", next);
}
