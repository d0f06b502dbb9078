import { Events, type EventName, type EventOutcome } from "../../contracts/index.ts";

/** How each event counts: a flow started, a step succeeded or failed, or a step was undone. */
const OUTCOMES: Record<EventName, EventOutcome> = {
  [Events.ORDER_CREATED]: "started",
  [Events.ORDER_COMPLETED]: "success",
  [Events.ORDER_REJECTED]: "failure",
  [Events.ORDER_COMPENSATED]: "compensation",
  [Events.PAYMENT_COMPLETED]: "success",
  [Events.PAYMENT_DECLINED]: "failure",
  [Events.PAYMENT_REFUNDED]: "compensation",
  [Events.INVENTORY_RESERVED]: "success",
  [Events.INVENTORY_REJECTED]: "failure",
  [Events.INVENTORY_RELEASED]: "compensation",
  [Events.SHIPMENT_CREATED]: "success",
  [Events.SHIPMENT_REJECTED]: "failure",
};

export function outcomeOf(eventName: EventName): EventOutcome {
  return OUTCOMES[eventName];
}
