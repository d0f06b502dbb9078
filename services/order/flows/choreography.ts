import { Events } from "../../contracts/index.ts";
import { enqueueEvent } from "../../kit/outbox.ts";
import type { FlowAnswer, OrderDeps } from "../deps.ts";
import { orderEvent, type FlowOrder } from "../domain/order-data.ts";
import { insertPendingOrder } from "../orders-store.ts";

/**
 * Style `choreography`: the PENDING order and its `OrderCreated` are written in ONE transaction
 * (transactional outbox); the relay publishes the event and the participants take it from there.
 * The order service only listens (messaging/flow-events.ts) and records the outcome; if the
 * events stop coming, the recovery sweeper asks the participants (recovery/sweeper.ts).
 */
export async function placeChoreographedOrder(deps: OrderDeps, order: FlowOrder, traceId: string): Promise<FlowAnswer> {
  await deps.db.$transaction(async (tx) => {
    await insertPendingOrder(tx, order, traceId, deps.recovery.staleAfterMs);
    await enqueueEvent(tx, "orders", orderEvent(order, Events.ORDER_CREATED));
  });
  return { status: "PENDING", reason: null };
}
