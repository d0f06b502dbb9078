import { trace } from "@opentelemetry/api";
import type { Worker } from "bullmq";
import { Attr, Events, isTerminalOrderStatus, Topics, type EventEnvelope, type OrderStatus } from "../../contracts/index.ts";
import type { OrderSql } from "../deps.ts";
import type { RawStatements, TemplateStatements } from "../../kit/db.ts";
import { withHandlerSpan } from "../../kit/events.ts";
import { subscribe } from "../../kit/messaging.ts";
import type { QueueConnection } from "../../kit/queue.ts";
import { choreographyOutcome, FAILURE_EVENTS } from "../domain/flow-outcome.ts";
import { finishOrder } from "../orders-store.ts";
import { undo, type Participants } from "../clients/participants.ts";
import { shortReason } from "../domain/step-outcome.ts";
import { undoAll } from "../flows/sequence.ts";
import { compensateOrder } from "../flows/settle.ts";

const SUBSCRIBER = "order";
const TOPICS = [Topics.PAYMENT_EVENTS, Topics.INVENTORY_EVENTS, Topics.SHIPPING_EVENTS] as const;

/** A transaction of the subscriber's plain `pg` pool (or any raw-statement transaction). */
type Tx = TemplateStatements & RawStatements;

type FlowRow = { status: OrderStatus; reason: string | null; flow_events: string[] | null };

/**
 * Records that the order has seen `event` (under the order row's lock, so events of one order
 * are applied one at a time) and returns the order as it now stands, or null for an unknown order.
 */
async function recordFlowEvent(tx: Tx, event: EventEnvelope): Promise<FlowRow | null> {
  const failureReason = FAILURE_EVENTS.has(event.name) && event.reason ? shortReason(event.reason) : null;
  const rows = await tx.$queryRaw<FlowRow[]>`
    UPDATE "orders"."orders"
    SET "flow_events" = array_append(coalesce("flow_events", '{}'), ${event.name}),
        "reason" = coalesce("reason", ${failureReason}),
        "updated_at" = now()
    WHERE "id" = ${event.orderId}::uuid
    RETURNING "status", "reason", "flow_events"`;
  return rows[0] ?? null;
}

/** Choreography: the order's terminal status follows from the events seen so far (no coordinator). */
async function settleChoreography(tx: Tx, event: EventEnvelope, order: FlowRow): Promise<void> {
  if (order.status !== "PENDING") return;
  const outcome = choreographyOutcome(new Set(order.flow_events ?? []));
  if (!outcome) return;
  await finishOrder(tx, event.orderId, outcome, outcome === "COMPLETED" ? null : order.reason);
  trace.getActiveSpan()?.setAttribute(Attr.ORDER_STATUS, outcome);
}

/**
 * Hybrid: the caller got CONFIRMED (paid and reserved). ShipmentCreated completes the order.
 * ShipmentRejected makes the order service undo payment and stock itself (sync calls,
 * idempotent, so a redelivered event is harmless) and mark it COMPENSATED; when an undo gets no
 * answer, the event still counts as processed and the order is left to the recovery sweeper,
 * which finishes the compensation durably.
 */
async function settleHybrid(tx: Tx, participants: Participants, event: EventEnvelope, order: FlowRow): Promise<void> {
  if (order.status !== "CONFIRMED") return;
  if (event.name === Events.SHIPMENT_CREATED) {
    await finishOrder(tx, event.orderId, "COMPLETED", null);
    trace.getActiveSpan()?.setAttribute(Attr.ORDER_STATUS, "COMPLETED");
    return;
  }
  if (event.name !== Events.SHIPMENT_REJECTED) return;
  const reason = shortReason(`${event.name}: ${event.reason ?? "no reason given"}`);
  const target = { id: event.orderId, productId: event.order.productId };
  const answer = await compensateOrder(tx, event.orderId, reason, () =>
    withHandlerSpan("order.compensate", event, () =>
      undoAll(
        [
          { name: "reserveStock", undo: (why) => undo.releaseStock(participants, target, why) },
          { name: "chargePayment", undo: (why) => undo.refundPayment(participants, event.orderId, why) },
        ],
        reason,
      ),
    ),
  );
  if (isTerminalOrderStatus(answer.status)) trace.getActiveSpan()?.setAttribute(Attr.ORDER_STATUS, answer.status);
}

/**
 * The order service's subscriptions (publish-subscribe, subscriber `order`) to the participants'
 * topics. Each event is handled once (kit `subscribe`: processed_messages in the same
 * transaction). Only choreographed and hybrid orders are followed this way.
 */
export function subscribeToFlowEvents(options: {
  /** The hot path's `pg` pool: one transaction per event, with the processed-message ledger. */
  db: OrderSql;
  connection: QueueConnection;
  participants: Participants;
  log: (message: string) => void;
}): Worker[] {
  const handle = async (event: EventEnvelope, tx: Tx): Promise<void> => {
    const order = await recordFlowEvent(tx, event);
    if (!order) {
      options.log(`${event.name} ${event.messageId} for unknown order ${event.orderId}; ignored`);
      return;
    }
    if (event.style === "choreography") await settleChoreography(tx, event, order);
    else await settleHybrid(tx, options.participants, event, order);
  };
  return TOPICS.map((topic) =>
    subscribe({
      topic,
      subscriber: SUBSCRIBER,
      connection: options.connection,
      db: options.db,
      schema: "orders",
      accepts: (event) => event.style === "choreography" || event.style === "hybrid",
      handle,
      log: options.log,
    }),
  );
}
