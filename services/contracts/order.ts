import { z } from "zod";
import { OrderStyleSchema } from "./flow.ts";

export const OrderIdSchema = z.uuid();

export const PlaceOrderInputSchema = z.object({
  productId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(1000),
  customerId: z.string().min(1).max(64),
  /** How this order's flow communicates (see flow.ts). */
  style: OrderStyleSchema.default("hybrid"),
});
export type PlaceOrderInput = z.infer<typeof PlaceOrderInputSchema>;

/**
 * PENDING until the flow ends. Terminal: COMPLETED; REJECTED (failed before anything took
 * effect: nothing to undo); COMPENSATED (failed after some step took effect, and every such step
 * was undone).
 */
export const OrderStatusSchema = z.enum(["PENDING", "COMPLETED", "REJECTED", "COMPENSATED"]);
export const TERMINAL_ORDER_STATUSES = ["COMPLETED", "REJECTED", "COMPENSATED"] as const;
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const PlaceOrderOutputSchema = z.object({
  orderId: OrderIdSchema,
  /** Terminal for sync and hybrid; PENDING for choreography and saga (they finish later). */
  status: OrderStatusSchema,
  style: OrderStyleSchema,
  /** Why a REJECTED order was rejected (for example out of stock). */
  reason: z.string().nullable(),
  /** The trace this order was placed in: open it at `/traces/<traceId>`. */
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
});
export type PlaceOrderOutput = z.infer<typeof PlaceOrderOutputSchema>;

export const OrderSchema = z.object({
  id: OrderIdSchema,
  customerId: z.string(),
  productId: z.string(),
  quantity: z.number().int(),
  style: OrderStyleSchema,
  status: OrderStatusSchema,
  reason: z.string().nullable(),
  traceId: z.string().nullable(),
  createdAt: z.string(),
  /** When the order reached a terminal status (null while PENDING). */
  completedAt: z.string().nullable(),
});
export type Order = z.infer<typeof OrderSchema>;

export const ListOrdersInputSchema = z.object({ limit: z.number().int().min(1).max(200).default(50) });
export const ListOrdersOutputSchema = z.array(OrderSchema);
