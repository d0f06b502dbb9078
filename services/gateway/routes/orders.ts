import { Attr, ListOrdersQuerySchema, OrderIdParamSchema, PlaceOrderBodySchema } from "../../contracts/index.ts";
import { toAppError } from "../../kit/rpc-client.ts";
import { v1Order, v1PlacedOrder, v2Order, v2Orders, v2PlacedOrder } from "./shapes.ts";
import type { Route } from "./types.ts";
import { validate } from "./validate.ts";

/** `POST /vN/orders`: places an order in the style asked for (default hybrid). */
export const placeOrderRoute: Route = {
  method: "POST",
  path: "/orders",
  upstreams: ["order"],
  async handle({ version, body, span, deps }) {
    const input = validate(PlaceOrderBodySchema, body, "order");
    span?.setAttributes({ [Attr.ORDER_STYLE]: input.style, [Attr.PRODUCT_ID]: input.productId });
    const placed = await deps.upstreams.order.order.placeOrder.mutate(input).catch((e: unknown) => {
      throw toAppError(e, "order service");
    });
    span?.setAttribute(Attr.ORDER_ID, placed.orderId);
    const answer = version === "v1" ? v1PlacedOrder(placed) : v2PlacedOrder(placed, deps.env.DASHBOARD_URL);
    return { status: 201, body: answer, headers: { location: `/${version}/orders/${placed.orderId}` } };
  },
};

/** `GET /vN/orders/:id`. */
export const getOrderRoute: Route = {
  method: "GET",
  path: "/orders/:id",
  upstreams: ["order"],
  async handle({ version, params, span, deps }) {
    const orderId = validate(OrderIdParamSchema, params.id, "order id");
    span?.setAttribute(Attr.ORDER_ID, orderId);
    const order = await deps.upstreams.order.order.getOrder.query({ orderId }).catch((e: unknown) => {
      throw toAppError(e, "order service");
    });
    return { status: 200, body: version === "v1" ? v1Order(order) : v2Order(order, deps.env.DASHBOARD_URL) };
  },
};

/** `GET /vN/orders?limit=`: the most recent orders (default 50, at most 200), newest first. */
export const listOrdersRoute: Route = {
  method: "GET",
  path: "/orders",
  upstreams: ["order"],
  async handle({ version, query, deps }) {
    const { limit } = validate(ListOrdersQuerySchema, query, "query");
    const orders = await deps.upstreams.order.order.listOrders.query({ limit }).catch((e: unknown) => {
      throw toAppError(e, "order service");
    });
    return { status: 200, body: version === "v1" ? orders.map(v1Order) : v2Orders(orders, limit, deps.env.DASHBOARD_URL) };
  },
};
