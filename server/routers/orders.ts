import { z } from "zod";
import {
  ListOrdersInputSchema,
  ListProductsOutputSchema,
  OrderIdSchema,
  OrderSchema,
  PlaceOrderInputSchema,
  PlaceOrderOutputSchema,
  type Order,
} from "../../services/contracts/index.ts";
import { orderTimeMs } from "../trace/durations.ts";
import { publicProcedure, router } from "./trpc.ts";

/** An order as the dashboard lists it: the order service's shape plus its flow's duration. */
export const DashboardOrderSchema = OrderSchema.extend({
  /** Order time (server/trace/durations.ts): created to terminal status, in ms; null while running. */
  durationMs: z.number().int().nonnegative().nullable(),
});
export type DashboardOrder = z.infer<typeof DashboardOrderSchema>;

function withDuration(order: Order): DashboardOrder {
  return { ...order, durationMs: orderTimeMs(order) };
}

/** Orders, through the gateway's public API (the dashboard never reads the orders schema itself). */
export const ordersRouter = router({
  place: publicProcedure
    .input(PlaceOrderInputSchema)
    .output(PlaceOrderOutputSchema)
    .mutation(({ ctx, input }) => ctx.order.placeOrder(input)),

  /** Recent orders with style, status and how long their flow took (null while PENDING). */
  list: publicProcedure
    .input(ListOrdersInputSchema.optional())
    .output(z.array(DashboardOrderSchema))
    .query(async ({ ctx, input }) => (await ctx.order.listOrders({ limit: input?.limit ?? 50 })).map(withDuration)),

  get: publicProcedure
    .input(z.object({ orderId: OrderIdSchema }))
    .output(DashboardOrderSchema)
    .query(async ({ ctx, input }) => withDuration(await ctx.order.getOrder(input))),
});

/** Products, through the inventory service. */
export const productsRouter = router({
  list: publicProcedure.output(ListProductsOutputSchema).query(({ ctx }) => ctx.inventory.listProducts()),
});
