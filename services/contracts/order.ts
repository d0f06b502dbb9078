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
 * Non-terminal: PENDING (the flow is running, or waits for a dependency to recover: `reason`
 * says which, e.g. "payment delayed, we will confirm") and CONFIRMED (hybrid: stock reserved and
 * payment taken while the caller waited; shipping still has to answer). Terminal: COMPLETED;
 * REJECTED (failed before anything took effect: nothing to undo); COMPENSATED (failed after
 * some step took effect, and every such step was undone). A non-terminal order always has a
 * process responsible for finishing it: its flow, the saga orchestrator or the order service's
 * recovery sweeper (services/order/recovery).
 */
export const OrderStatusSchema = z.enum(["PENDING", "CONFIRMED", "COMPLETED", "REJECTED", "COMPENSATED"]);
export const TERMINAL_ORDER_STATUSES = ["COMPLETED", "REJECTED", "COMPENSATED"] as const;
export type OrderStatus = z.infer<typeof OrderStatusSchema>;
export type TerminalOrderStatus = (typeof TERMINAL_ORDER_STATUSES)[number];

/** True for COMPLETED, REJECTED and COMPENSATED. */
export function isTerminalOrderStatus(status: OrderStatus): status is TerminalOrderStatus {
  return (TERMINAL_ORDER_STATUSES as readonly string[]).includes(status);
}

/**
 * The status `/v1` clients see. v1 predates CONFIRMED; its clients already treat PENDING as
 * "not final yet, poll the order", which is exactly what CONFIRMED means, so v1 says PENDING.
 */
export function v1OrderStatus(status: OrderStatus): Exclude<OrderStatus, "CONFIRMED"> {
  return status === "CONFIRMED" ? "PENDING" : status;
}

export const PlaceOrderOutputSchema = z.object({
  orderId: OrderIdSchema,
  /**
   * Terminal when the flow ended while the caller waited (sync, and hybrid refusals). Otherwise
   * PENDING (choreography, saga, a dependency that did not answer) or CONFIRMED (hybrid): poll
   * `order.getOrder` until it is terminal.
   */
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
  /** When the order reached a terminal status (null while PENDING or CONFIRMED). */
  completedAt: z.string().nullable(),
  /**
   * Set while the recovery sweeper is finishing the order: what it is doing ("resume" or
   * "compensate"), how often it tried, and when it tries next. Null otherwise.
   */
  recovery: z
    .object({ action: z.enum(["resume", "compensate"]), attempts: z.number().int(), nextAttemptAt: z.string().nullable() })
    .nullable(),
});
export type Order = z.infer<typeof OrderSchema>;

export const ListOrdersInputSchema = z.object({ limit: z.number().int().min(1).max(200).default(50) });
export const ListOrdersOutputSchema = z.array(OrderSchema);
