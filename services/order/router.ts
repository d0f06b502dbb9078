import { z } from "zod";
import {
  ListOrdersInputSchema,
  ListOrdersOutputSchema,
  OrderIdSchema,
  OrderSchema,
  PlaceOrderInputSchema,
  PlaceOrderOutputSchema,
  SagaRequestAnswerSchema,
  SagaRequestInputSchema,
} from "../contracts/index.ts";
import { initServiceTrpc } from "../kit/trpc.ts";
import type { OrderDeps } from "./deps.ts";
import { getOrder, listOrders } from "./orders-store.ts";
import { placeOrder } from "./place-order.ts";
import { requestSagaAction } from "./saga/requests.ts";

const { router, procedure } = initServiceTrpc();

/** Order's tRPC router: `order.placeOrder`, `order.listOrders`, `order.getOrder`, `order.requestSaga`. */
export function createOrderRouter(deps: OrderDeps) {
  return router({
    order: router({
      placeOrder: procedure
        .input(PlaceOrderInputSchema)
        .output(PlaceOrderOutputSchema)
        .mutation(({ input }) => placeOrder(deps, input)),
      listOrders: procedure
        .input(ListOrdersInputSchema)
        .output(ListOrdersOutputSchema)
        .query(({ input }) => listOrders(deps.db, input.limit)),
      getOrder: procedure
        .input(z.object({ orderId: OrderIdSchema }))
        .output(OrderSchema)
        .query(({ input }) => getOrder(deps.db, input.orderId)),
      /** Cancel (compensate now) or retry the waiting step of a saga order; idempotent. */
      requestSaga: procedure
        .input(SagaRequestInputSchema)
        .output(SagaRequestAnswerSchema)
        .mutation(({ input }) => requestSagaAction(deps.db, deps.sagas, input)),
    }),
  });
}

/** The router's type, for typed clients (dashboard, CLI). */
export type OrderRouter = ReturnType<typeof createOrderRouter>;
