import { Events, type EventName, type TerminalOrderStatus } from "../../contracts/index.ts";

/** Events that report a step of the choreography failing, and so carry the order's reason. */
export const FAILURE_EVENTS: ReadonlySet<string> = new Set<EventName>([
  Events.PAYMENT_DECLINED,
  Events.INVENTORY_REJECTED,
  Events.SHIPMENT_REJECTED,
]);

/**
 * The terminal status a choreographed order has reached, given the events of its flow the order
 * service has seen (in whatever order they arrived), or null while the flow is still going.
 * - ShipmentCreated: the last step succeeded.
 * - PaymentDeclined: the first step failed, nothing took effect.
 * - InventoryRejected: payment must refund, so COMPENSATED once PaymentRefunded is seen.
 * - ShipmentRejected: payment refunds and inventory releases, so COMPENSATED once both are seen.
 */
export function choreographyOutcome(seen: ReadonlySet<string>): TerminalOrderStatus | null {
  if (seen.has(Events.SHIPMENT_CREATED)) return "COMPLETED";
  if (seen.has(Events.PAYMENT_DECLINED)) return "REJECTED";
  const refunded = seen.has(Events.PAYMENT_REFUNDED);
  if (seen.has(Events.INVENTORY_REJECTED) && refunded) return "COMPENSATED";
  if (seen.has(Events.SHIPMENT_REJECTED) && refunded && seen.has(Events.INVENTORY_RELEASED)) return "COMPENSATED";
  return null;
}
