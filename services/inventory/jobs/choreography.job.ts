import { trace } from "@opentelemetry/api";
import { AppError, Attr, Events, type EventEnvelope } from "../../contracts/index.ts";
import type { Tx } from "../db.ts";
import { deriveEvent, withHandlerSpan } from "../../kit/events.ts";
import { enqueueEvent } from "../../kit/outbox.ts";
import { releaseInTx, reserveInTx } from "../stock.ts";

/** Only choreographed orders make inventory react to events (the other styles call it directly). */
export const isChoreography = (event: EventEnvelope): boolean => event.style === "choreography";

/** Reserves, turning an unknown product into a rejection (the flow must end, not retry forever). */
async function tryReserve(tx: Tx, event: EventEnvelope): Promise<{ reserved: boolean; reason: string | null }> {
  try {
    const result = await reserveInTx(tx, { orderId: event.orderId, productId: event.order.productId, quantity: event.order.quantity });
    trace.getActiveSpan()?.setAttributes({ [Attr.STOCK_RESERVED]: result.reserved, [Attr.STOCK_REMAINING]: result.remaining });
    return result;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return { reserved: false, reason: error.message };
    throw error;
  }
}

/** PaymentCompleted -> reserve -> InventoryReserved or InventoryRejected, in the handler's transaction. */
export async function reserveForOrder(event: EventEnvelope, tx: Tx): Promise<void> {
  if (event.name !== Events.PAYMENT_COMPLETED) return;
  const result = await withHandlerSpan("inventory.reserve", event, () => tryReserve(tx, event), {
    [Attr.PRODUCT_ID]: event.order.productId,
    [Attr.QUANTITY]: event.order.quantity,
  });
  const next = result.reserved ? deriveEvent(event, Events.INVENTORY_RESERVED) : deriveEvent(event, Events.INVENTORY_REJECTED, result.reason);
  await enqueueEvent(tx, "inventory", next);
}

/**
 * Compensation: shipping refused the order (ShipmentRejected), so the reservation is released and
 * InventoryReleased announces it. Visible as an `inventory.release` span with the reason.
 */
export async function releaseForOrder(event: EventEnvelope, tx: Tx): Promise<void> {
  if (event.name !== Events.SHIPMENT_REJECTED) return;
  const reason = `${event.name}: ${event.reason ?? "no reason given"}`;
  const result = await withHandlerSpan("inventory.release", event, () => releaseInTx(tx, event.orderId, event.order.productId));
  if (result.released) await enqueueEvent(tx, "inventory", deriveEvent(event, Events.INVENTORY_RELEASED, reason));
}
