import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import { Attr, type OrderStyle, type PlaceOrderInput, type PlaceOrderOutput } from "../contracts/index.ts";
import type { FlowAnswer, OrderDeps } from "./deps.ts";
import type { FlowOrder } from "./domain/order-data.ts";
import { placeChoreographedOrder } from "./flows/choreography.ts";
import { placeHybridOrder } from "./flows/hybrid.ts";
import { placeSyncOrder } from "./flows/sync.ts";

/** One function per communication style (contracts/flow.ts). */
const FLOWS: Record<OrderStyle, (deps: OrderDeps, order: FlowOrder, traceId: string) => Promise<FlowAnswer>> = {
  sync: placeSyncOrder,
  choreography: placeChoreographedOrder,
  saga: async (deps, order, traceId) => {
    await deps.sagas.start(order, traceId);
    return { status: "PENDING", reason: null };
  },
  hybrid: placeHybridOrder,
};

/**
 * Places an order in the style it asks for. The price comes first (an unknown product is a
 * NOT_FOUND error and nothing is written); the order row keeps this trace's id so the dashboard
 * can link it. Sync and hybrid answer with the terminal status; choreography and saga with
 * PENDING (they finish later: poll `order.getOrder`).
 */
export async function placeOrder(deps: OrderDeps, input: PlaceOrderInput): Promise<PlaceOrderOutput> {
  const span = trace.getActiveSpan();
  const traceId = span?.spanContext().traceId ?? "0".repeat(32);
  const orderId = randomUUID();
  span?.setAttributes({
    [Attr.ORDER_ID]: orderId,
    [Attr.ORDER_STYLE]: input.style,
    [Attr.CUSTOMER_ID]: input.customerId,
    [Attr.PRODUCT_ID]: input.productId,
    [Attr.QUANTITY]: input.quantity,
  });
  const unitPrice = await deps.prices.priceOf(input.productId);
  const order: FlowOrder = { id: orderId, ...input, amountCents: unitPrice * input.quantity };
  const answer = await FLOWS[input.style](deps, order, traceId);
  span?.setAttributes({ [Attr.ORDER_STATUS]: answer.status, ...(answer.reason ? { [Attr.ORDER_REASON]: answer.reason } : {}) });
  return { orderId, status: answer.status, style: input.style, reason: answer.reason, traceId };
}
