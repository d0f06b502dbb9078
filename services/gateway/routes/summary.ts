import { Attr, OrderIdParamSchema, type DegradedPart, type Order, type Payment, type Shipment } from "../../contracts/index.ts";
import { toAppError } from "../../kit/rpc-client.ts";
import { GatewayHttpError } from "../http/respond.ts";
import { v1Order, v2Order, v2Payment } from "./shapes.ts";
import type { GatewayDeps, Route } from "./types.ts";
import { validate } from "./validate.ts";

type Part<T> = { ok: true; value: T } | { ok: false; reason: string; notFound: boolean };

/** Runs one part with its own deadline; a late or failed part becomes a reason, never a throw. */
async function fetchPart<T>(name: string, timeoutMs: number, load: (signal: AbortSignal) => Promise<T>): Promise<Part<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Part<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, reason: `no answer within ${timeoutMs} ms`, notFound: false });
    }, timeoutMs);
  });
  const answer = load(controller.signal).then(
    (value): Part<T> => ({ ok: true, value }),
    (error: unknown): Part<T> => {
      const appError = toAppError(error, `${name} service`);
      return { ok: false, reason: `${appError.code}: ${appError.message}`, notFound: appError.code === "NOT_FOUND" };
    },
  );
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The three parts, asked in parallel. */
function fetchParts(deps: GatewayDeps, orderId: string) {
  const timeoutMs = deps.env.GATEWAY_PART_TIMEOUT_MS;
  const { order, payment, shipping } = deps.upstreams;
  return Promise.all([
    fetchPart<Order>("order", timeoutMs, (signal) => order.order.getOrder.query({ orderId }, { signal })),
    fetchPart<Payment | null>("payment", timeoutMs, (signal) => payment.payment.getPayment.query({ orderId }, { signal })),
    fetchPart<Shipment | null>("shipping", timeoutMs, (signal) => shipping.shipping.getShipment.query({ orderId }, { signal })),
  ]);
}

/**
 * `GET /vN/orders/:id/summary`: order, payment and shipment fetched in parallel and merged. A
 * part that fails or misses GATEWAY_PART_TIMEOUT_MS is left out and named in `degraded`; the
 * answer is still 200. Only "the order does not exist" is a 404.
 */
export const orderSummaryRoute: Route = {
  method: "GET",
  path: "/orders/:id/summary",
  upstreams: ["order", "payment", "shipping"],
  async handle({ version, params, span, deps }) {
    const orderId = validate(OrderIdParamSchema, params.id, "order id");
    span?.setAttribute(Attr.ORDER_ID, orderId);
    const [order, payment, shipment] = await fetchParts(deps, orderId);
    if (!order.ok && order.notFound) throw new GatewayHttpError(404, "NOT_FOUND", `order ${orderId} not found`);
    const degraded: DegradedPart[] = [];
    if (!order.ok) degraded.push({ part: "order", reason: order.reason });
    if (!payment.ok) degraded.push({ part: "payment", reason: payment.reason });
    if (!shipment.ok) degraded.push({ part: "shipping", reason: shipment.reason });
    if (degraded.length > 0) span?.setAttribute(Attr.GATEWAY_DEGRADED, degraded.map((d) => d.part));
    const orderValue = order.ok ? order.value : null;
    const paymentValue = payment.ok ? payment.value : null;
    const shipmentValue = shipment.ok ? shipment.value : null;
    if (version === "v1") return { status: 200, body: { order: orderValue ? v1Order(orderValue) : null, payment: paymentValue, shipment: shipmentValue, degraded } };
    return {
      status: 200,
      body: {
        order: orderValue ? v2Order(orderValue, deps.env.DASHBOARD_URL) : null,
        payment: v2Payment(paymentValue),
        shipment: shipmentValue,
        degraded,
        complete: degraded.length === 0,
        links: { self: `/v2/orders/${orderId}/summary`, order: `/v2/orders/${orderId}` },
      },
    };
  },
};
