import { SHOP_CURRENCY, v1OrderStatus, type Money, type Order, type Payment, type PlaceOrderOutput, type Product } from "../../contracts/index.ts";

/** `1250` -> `{ amount: "12.50", currency: "EUR" }`: a string, so no float rounding reaches clients. */
export function money(cents: number): Money {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return { amount: `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`, currency: SHOP_CURRENCY };
}

function orderLinks(orderId: string, traceId: string | null, dashboardUrl: string): Record<string, string> {
  return {
    self: `/v2/orders/${orderId}`,
    summary: `/v2/orders/${orderId}/summary`,
    ...(traceId ? { trace: `${dashboardUrl.replace(/\/$/, "")}/traces/${traceId}` } : {}),
  };
}

/** An order as v1 shows it (no CONFIRMED, no `recovery`; see contracts/gateway.ts). */
export function v1Order(order: Order) {
  const { recovery: _recovery, ...rest } = order;
  return { ...rest, status: v1OrderStatus(order.status) };
}

export function v1PlacedOrder(placed: PlaceOrderOutput) {
  return { ...placed, status: v1OrderStatus(placed.status) };
}

export function v2PlacedOrder(placed: PlaceOrderOutput, dashboardUrl: string) {
  return {
    id: placed.orderId,
    status: placed.status,
    style: placed.style,
    reason: placed.reason,
    traceId: placed.traceId,
    links: orderLinks(placed.orderId, placed.traceId, dashboardUrl),
  };
}

export function v2Order(order: Order, dashboardUrl: string) {
  return { ...order, links: orderLinks(order.id, order.traceId, dashboardUrl) };
}

export function v2Orders(orders: Order[], limit: number, dashboardUrl: string) {
  return { items: orders.map((order) => v2Order(order, dashboardUrl)), links: { self: `/v2/orders?limit=${limit}` } };
}

export function v2Products(products: Product[]) {
  return {
    items: products.map((p) => ({ id: p.id, name: p.name, price: money(p.priceCents), stock: p.stock })),
    links: { self: "/v2/products" },
  };
}

export function v2Payment(payment: Payment | null) {
  if (!payment) return null;
  const { amountCents, ...rest } = payment;
  return { ...rest, amount: money(amountCents) };
}
