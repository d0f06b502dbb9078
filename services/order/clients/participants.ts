/**
 * The participant services (inventory, payment, shipping) as the order flows call them over
 * tRPC: typed clients, each forward step sorted into a StepOutcome, and the idempotent undos.
 */
import { AppError } from "../../contracts/index.ts";
import type { InventoryRouter } from "../../inventory/router.ts";
import { createServiceClient, toAppError, withFallback } from "../../kit/rpc-client.ts";
import type { PaymentRouter } from "../../payment/router.ts";
import type { ShippingRouter } from "../../shipping/router.ts";
import type { FlowOrder } from "../domain/order-data.ts";
import { chargeKey, isTransient, shortReason, type StepOutcome } from "../domain/step-outcome.ts";

/** Typed tRPC clients of the services an order flow calls synchronously. */
export type Participants = {
  inventory: ReturnType<typeof createServiceClient<InventoryRouter>>;
  payment: ReturnType<typeof createServiceClient<PaymentRouter>>;
  shipping: ReturnType<typeof createServiceClient<ShippingRouter>>;
};

/** Clients for the participant services at their base URLs. */
export function createParticipants(urls: { inventory: string; payment: string; shipping: string }): Participants {
  return {
    inventory: createServiceClient<InventoryRouter>(urls.inventory),
    payment: createServiceClient<PaymentRouter>(urls.payment),
    shipping: createServiceClient<ShippingRouter>(urls.shipping),
  };
}

/** Runs one call and sorts its result or error into a StepOutcome. */
async function outcomeOf<T>(what: string, call: () => Promise<T>, judge: (result: T) => StepOutcome): Promise<StepOutcome> {
  try {
    return judge(await call());
  } catch (error) {
    const appError = toAppError(error, what);
    if (!isTransient(appError)) return { kind: "refused", reason: appError.message };
    return { kind: "failed", reason: `${what} failed: ${appError.message}`, error: appError };
  }
}

export function reserveStock(p: Participants, order: FlowOrder): Promise<StepOutcome> {
  return outcomeOf(
    "inventory.reserveStock",
    () => p.inventory.inventory.reserveStock.mutate({ orderId: order.id, productId: order.productId, quantity: order.quantity }),
    (r) => (r.reserved ? { kind: "succeeded", detail: { remaining: r.remaining } } : { kind: "refused", reason: r.reason ?? "out of stock" }),
  );
}

/** The fallback answer of a charge that got no answer (breaker open, retries spent, timeout). */
export const PAYMENT_DELAYED = "payment delayed, we will confirm";
const DELAYED = { delayed: true } as const;

/**
 * Charges the order. When payment does not answer, the resilience link's fallback answers at once
 * (`app.fallback.used` on the call span) instead of an error, and the step's outcome is `failed`:
 * the charge may or may not have happened, and the order waits for payment to recover (the
 * idempotency key makes the next attempt return this one's result if it did happen).
 */
export function chargePayment(p: Participants, order: FlowOrder): Promise<StepOutcome> {
  const input = { orderId: order.id, customerId: order.customerId, amountCents: order.amountCents, idempotencyKey: chargeKey(order.id) };
  return outcomeOf(
    "payment.chargePayment",
    () => p.payment.payment.chargePayment.mutate(input, withFallback(PAYMENT_DELAYED, () => DELAYED)),
    (r): StepOutcome => {
      if ("delayed" in r) return { kind: "failed", reason: PAYMENT_DELAYED, error: new AppError("UNAVAILABLE", PAYMENT_DELAYED) };
      return r.charged ? { kind: "succeeded", detail: { paymentId: r.paymentId } } : { kind: "refused", reason: r.reason ?? "payment declined" };
    },
  );
}

export function createShipment(p: Participants, order: FlowOrder): Promise<StepOutcome> {
  const input = { orderId: order.id, customerId: order.customerId, productId: order.productId, quantity: order.quantity };
  return outcomeOf(
    "shipping.createShipment",
    () => p.shipping.shipping.createShipment.mutate(input),
    (r) => (r.created ? { kind: "succeeded", detail: { shipmentId: r.shipmentId } } : { kind: "refused", reason: r.reason ?? "shipment refused" }),
  );
}

/**
 * Undo calls: idempotent, a no-op when there is nothing to undo; each resolves whether it undid
 * something (false: nothing had taken effect) and throws AppError on trouble. Each also leaves a
 * marker when there was nothing to undo (RELEASED reservation, VOIDED payment, CANCELLED
 * shipment), so a forward call that arrives late (a timed-out call that still ran, a redelivered
 * event) is refused instead of taking effect after the order ended.
 */
export const undo = {
  async releaseStock(p: Participants, order: Pick<FlowOrder, "id" | "productId">, reason: string): Promise<boolean> {
    const r = await call("inventory.releaseStock", () => p.inventory.inventory.releaseStock.mutate({ orderId: order.id, productId: order.productId, reason: shortReason(reason) }));
    return r.released;
  },
  async refundPayment(p: Participants, orderId: string, reason: string): Promise<boolean> {
    const r = await call("payment.refundPayment", () => p.payment.payment.refundPayment.mutate({ orderId, reason: shortReason(reason) }));
    return r.refunded;
  },
  async cancelShipment(p: Participants, orderId: string, reason: string): Promise<boolean> {
    const r = await call("shipping.cancelShipment", () => p.shipping.shipping.cancelShipment.mutate({ orderId, reason: shortReason(reason) }));
    return r.cancelled;
  },
};

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toAppError(error, what);
  }
}
