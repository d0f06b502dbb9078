import { randomUUID } from "node:crypto";
import type { EventEnvelope, EventName, OrderStyle } from "../../contracts/index.ts";

/** An order as the flows work with it: what was placed, priced, under which style. */
export type FlowOrder = {
  id: string;
  customerId: string;
  productId: string;
  quantity: number;
  amountCents: number;
  style: OrderStyle;
};

/** The event `name` announcing something about `order` (a fresh message id each time). */
export function orderEvent(order: FlowOrder, name: EventName, reason: string | null = null): EventEnvelope {
  return {
    messageId: randomUUID(),
    name,
    orderId: order.id,
    style: order.style,
    occurredAt: new Date().toISOString(),
    order: { customerId: order.customerId, productId: order.productId, quantity: order.quantity, amountCents: order.amountCents },
    reason,
  };
}
