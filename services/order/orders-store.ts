import { AppError, type Order, type OrderStatus } from "../contracts/index.ts";
import type { Db, Tx } from "../kit/db.ts";
import type { FlowOrder } from "./domain/order-data.ts";

/** The orders table, read and written only by the order service. */

type OrderRow = Awaited<ReturnType<Db["order"]["findUniqueOrThrow"]>>;

/** A stored order in the contract's JSON shape. */
export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customerId,
    productId: row.productId,
    quantity: row.quantity,
    style: row.style,
    status: row.status,
    reason: row.reason,
    traceId: row.traceId,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

/** Inserts a PENDING order (with the trace it was placed in, so the dashboard can link it). */
export async function insertPendingOrder(db: Db | Tx, order: FlowOrder, traceId: string): Promise<void> {
  await db.order.create({
    data: {
      id: order.id,
      customerId: order.customerId,
      productId: order.productId,
      quantity: order.quantity,
      amountCents: order.amountCents,
      style: order.style,
      status: "PENDING",
      traceId,
    },
  });
}

/**
 * Moves an order to `status`. A terminal status stamps `completed_at` (a hybrid order compensated
 * after it completed gets the time of the compensation: that is when its flow really ended).
 */
export async function setOrderStatus(db: Db | Tx, orderId: string, status: OrderStatus, reason: string | null): Promise<void> {
  const now = new Date();
  await db.order.update({
    where: { id: orderId },
    data: { status, reason, ...(status === "PENDING" ? {} : { completedAt: now }) },
  });
}

/** The most recent orders, newest first. */
export async function listOrders(db: Db, limit: number): Promise<Order[]> {
  const rows = await db.order.findMany({ orderBy: { createdAt: "desc" }, take: limit });
  return rows.map(toOrder);
}

/** One order, or NOT_FOUND. */
export async function getOrder(db: Db, orderId: string): Promise<Order> {
  const row = await db.order.findUnique({ where: { id: orderId } });
  if (!row) throw new AppError("NOT_FOUND", `no order ${orderId}`);
  return toOrder(row);
}
