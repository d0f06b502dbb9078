import { trace } from "@opentelemetry/api";
import { Attr, Events, type EventEnvelope, type EventName } from "../../contracts/index.ts";
import { sql, type Statement } from "../../kit/guarded-effect.ts";

/** The only channel so far; real delivery (email, SMS) would plug in here. */
export const CHANNEL = "email";

/** What the customer is told for each event of the topics notification subscribes to. */
const MESSAGES: Partial<Record<EventName, (event: EventEnvelope) => string>> = {
  [Events.ORDER_CREATED]: (e) => `Order ${e.orderId} received: ${e.order.quantity} x ${e.order.productId}`,
  [Events.ORDER_COMPLETED]: (e) => `Order ${e.orderId} confirmed: ${e.order.quantity} x ${e.order.productId}`,
  [Events.ORDER_REJECTED]: (e) => `Order ${e.orderId} could not be placed: ${e.reason ?? "rejected"}`,
  [Events.ORDER_COMPENSATED]: (e) => `Order ${e.orderId} was cancelled and any charge refunded: ${e.reason ?? "cancelled"}`,
  [Events.SHIPMENT_CREATED]: (e) => `Order ${e.orderId} is being shipped`,
  [Events.SHIPMENT_REJECTED]: (e) => `Order ${e.orderId} cannot be shipped: ${e.reason ?? "refused"}`,
};

/** The notification text of an event, or null when notification has nothing to say about it. */
export function notificationBody(event: EventEnvelope): string | null {
  return MESSAGES[event.name]?.(event) ?? null;
}

/**
 * Stores the notification for one event: one statement that reads the ledger's `"first"`
 * (kit/guarded-effect.ts), so a redelivery stores nothing. Null when there is nothing to say.
 */
export function storeNotification(event: EventEnvelope): Statement | null {
  const body = notificationBody(event);
  if (!body) return null;
  trace.getActiveSpan()?.setAttribute(Attr.NOTIFICATION_CHANNEL, CHANNEL);
  return sql`
    INSERT INTO "notification"."notifications" ("message_id", "order_id", "channel", "body")
    SELECT ${event.messageId}::text, ${event.orderId}::uuid, ${CHANNEL}::text, ${body}::text FROM "first"
    ON CONFLICT ("message_id") DO NOTHING`;
}
