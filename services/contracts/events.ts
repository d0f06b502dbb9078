import { z } from "zod";
import { OrderStyleSchema, type OrderStyle } from "./flow.ts";
import { OrderIdSchema } from "./order.ts";

/**
 * Publish-subscribe topics. Publishing an event on a topic adds one job to the queue of every
 * subscriber (`<topic>.<subscriber>`), so each subscriber gets each event once and a subscriber's
 * worker pool shares its own queue. Topic names are nouns.
 */
export const Topics = {
  ORDER_EVENTS: "order-events",
  PAYMENT_EVENTS: "payment-events",
  INVENTORY_EVENTS: "inventory-events",
  SHIPPING_EVENTS: "shipping-events",
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Who subscribes to which topic (the fan-out table). */
export const Subscriptions: Record<Topic, readonly string[]> = {
  [Topics.ORDER_EVENTS]: ["payment", "shipping", "notification", "analytics"],
  [Topics.PAYMENT_EVENTS]: ["order", "inventory", "analytics"],
  [Topics.INVENTORY_EVENTS]: ["order", "payment", "shipping", "analytics"],
  [Topics.SHIPPING_EVENTS]: ["order", "payment", "inventory", "notification", "analytics"],
};

/**
 * Subscription filters (like a broker's filter policy): the order styles a subscriber takes part
 * in on a topic, where that is not every style. The outbox relay adds no job for an event its
 * subscriber would only acknowledge (payment and inventory react to events of choreographed
 * orders only; the other styles call them over tRPC): a hybrid order makes three such jobs fewer.
 * The subscribers' own `accepts` checks stay, for jobs added any other way (a dead-letter replay).
 */
export const SubscriptionFilters: Partial<Record<Topic, Readonly<Record<string, readonly OrderStyle[]>>>> = {
  [Topics.ORDER_EVENTS]: { payment: ["choreography"], shipping: ["hybrid"] },
  [Topics.PAYMENT_EVENTS]: { order: ["choreography", "hybrid"], inventory: ["choreography"] },
  [Topics.INVENTORY_EVENTS]: { order: ["choreography", "hybrid"], payment: ["choreography"], shipping: ["choreography"] },
  [Topics.SHIPPING_EVENTS]: { order: ["choreography", "hybrid"], payment: ["choreography"], inventory: ["choreography"] },
};

/** The subscribers of `topic` that take part in orders of `style` (the fan-out of one event). */
export function subscribersOf(topic: Topic, style: OrderStyle): string[] {
  const filters = SubscriptionFilters[topic] ?? {};
  return Subscriptions[topic].filter((subscriber) => filters[subscriber]?.includes(style) ?? true);
}

/** The queue one subscriber consumes a topic from. */
export function subscriberQueue(topic: Topic, subscriber: string): string {
  return `${topic}.${subscriber}`;
}

/** Point-to-point queues: each message goes to one worker of one pool. */
export const Queues = {
  /** Async request/reply: credit-check requests, answered by payment's worker pool. */
  CREDIT_CHECK_REQUESTS: "credit-check-requests",
  /** Replies to the order service's credit-check requests. */
  CREDIT_CHECK_REPLIES: "credit-check-replies.order",
} as const;

/** Event names as they appear in job names, outbox rows and on spans (`app.event.name`). */
export const Events = {
  ORDER_CREATED: "OrderCreated",
  ORDER_COMPLETED: "OrderCompleted",
  ORDER_COMPENSATED: "OrderCompensated",
  ORDER_REJECTED: "OrderRejected",
  PAYMENT_COMPLETED: "PaymentCompleted",
  PAYMENT_DECLINED: "PaymentDeclined",
  PAYMENT_REFUNDED: "PaymentRefunded",
  INVENTORY_RESERVED: "InventoryReserved",
  INVENTORY_REJECTED: "InventoryRejected",
  INVENTORY_RELEASED: "InventoryReleased",
  SHIPMENT_CREATED: "ShipmentCreated",
  SHIPMENT_REJECTED: "ShipmentRejected",
} as const;
export type EventName = (typeof Events)[keyof typeof Events];

/** Which topic each event is published on. */
export const EventTopics: Record<EventName, Topic> = {
  OrderCreated: Topics.ORDER_EVENTS,
  OrderCompleted: Topics.ORDER_EVENTS,
  OrderCompensated: Topics.ORDER_EVENTS,
  OrderRejected: Topics.ORDER_EVENTS,
  PaymentCompleted: Topics.PAYMENT_EVENTS,
  PaymentDeclined: Topics.PAYMENT_EVENTS,
  PaymentRefunded: Topics.PAYMENT_EVENTS,
  InventoryReserved: Topics.INVENTORY_EVENTS,
  InventoryRejected: Topics.INVENTORY_EVENTS,
  InventoryReleased: Topics.INVENTORY_EVENTS,
  ShipmentCreated: Topics.SHIPPING_EVENTS,
  ShipmentRejected: Topics.SHIPPING_EVENTS,
};

/**
 * Every event's envelope. `messageId` is unique per message (the outbox row id): consumers record
 * it in the same transaction as their effect, so a redelivered message has no second effect.
 * `style` lets a subscriber ignore events of flows it takes no part in (choreography vs hybrid).
 */
export const EventEnvelopeSchema = z.object({
  messageId: z.uuid(),
  name: z.enum(Object.values(Events) as [EventName, ...EventName[]]),
  orderId: OrderIdSchema,
  style: OrderStyleSchema,
  occurredAt: z.iso.datetime(),
  /** The order as placed: every participant can act on any event without asking back. */
  order: z.object({
    customerId: z.string().min(1),
    productId: z.string().min(1),
    quantity: z.number().int().min(1),
    amountCents: z.number().int().min(0),
  }),
  /** Why a failure event happened (declined, out of stock, parcel too large, ...). */
  reason: z.string().nullable(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
