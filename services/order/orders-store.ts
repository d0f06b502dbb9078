import { AppError, isTerminalOrderStatus, type Order, type TerminalOrderStatus } from "../contracts/index.ts";
import type { Db, Tx } from "./db.ts";
import { activeTraceHeaders } from "../kit/job-sender.ts";
import type { FlowAnswer } from "./deps.ts";
import type { FlowOrder } from "./domain/order-data.ts";

/** The orders table, read and written only by the order service. */

type OrderRow = Awaited<ReturnType<Db["order"]["findUniqueOrThrow"]>>;

/** What the recovery sweeper must do with an order its flow could not finish. */
export type RecoveryAction = "resume" | "compensate";

/** A stored order in the contract's JSON shape. */
export function toOrder(row: OrderRow): Order {
  const recovery = row.recovery === "resume" || row.recovery === "compensate" ? row.recovery : null;
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
    recovery:
      recovery && !isTerminalOrderStatus(row.status)
        ? { action: recovery, attempts: row.recoveryAttempts, nextAttemptAt: row.nextRecoveryAt?.toISOString() ?? null }
        : null,
  };
}

/** The order as the flows work with it. */
export function toFlowOrder(row: Pick<OrderRow, "id" | "customerId" | "productId" | "quantity" | "amountCents" | "style">): FlowOrder {
  return { id: row.id, customerId: row.customerId, productId: row.productId, quantity: row.quantity, amountCents: row.amountCents, style: row.style };
}

/**
 * Inserts a PENDING order with the trace it was placed in (the dashboard links it; recovery spans
 * join it). `leaseMs`: how long the placing flow owns the order; if it has not finished it by
 * then (the process died), the recovery sweeper takes over. Null for sagas: their orchestrator
 * keeps its own state and resumes them.
 */
export async function insertPendingOrder(db: Db | Tx, order: FlowOrder, traceId: string, leaseMs: number | null): Promise<void> {
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
      traceparent: activeTraceHeaders().traceparent,
      nextRecoveryAt: leaseMs === null ? null : new Date(Date.now() + leaseMs),
    },
  });
}

/** The order's current status and reason (what a flow answers when someone else finished it). */
async function currentAnswer(db: Db | Tx, orderId: string): Promise<FlowAnswer> {
  const row = await db.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, reason: true } });
  return { status: row.status, reason: row.reason };
}

/**
 * Ends the order with a terminal status, stamping `completed_at`, unless it already ended
 * (first writer wins: a late flow never overwrites the sweeper's verdict or the other way round).
 * Answers the order's status as it now stands.
 */
export async function finishOrder(db: Db | Tx, orderId: string, status: TerminalOrderStatus, reason: string | null): Promise<FlowAnswer> {
  const { count } = await db.order.updateMany({
    where: { id: orderId, status: { in: ["PENDING", "CONFIRMED"] } },
    data: { status, reason, completedAt: new Date(), recovery: null, nextRecoveryAt: null },
  });
  return count === 1 ? { status, reason } : currentAnswer(db, orderId);
}

/**
 * Hybrid: stock and payment are done, shipping is to answer by events. PENDING -> CONFIRMED;
 * false when the order was no longer PENDING. The sweeper asks shipping after `leaseMs`.
 */
export async function confirmOrder(tx: Tx, orderId: string, leaseMs: number): Promise<boolean> {
  const { count } = await tx.order.updateMany({
    where: { id: orderId, status: "PENDING" },
    data: { status: "CONFIRMED", reason: null, recovery: null, nextRecoveryAt: new Date(Date.now() + leaseMs) },
  });
  return count === 1;
}

/**
 * Leaves a non-terminal order to the recovery sweeper: what it must do and why (the reason the
 * caller and the dashboard see). The first hand-over is retried after `firstRetryMs`; once the
 * sweeper has taken the order, it owns the schedule (its claim set the next attempt).
 */
export async function parkOrder(db: Db | Tx, orderId: string, action: RecoveryAction, reason: string, firstRetryMs: number): Promise<FlowAnswer> {
  await db.$executeRaw`
    UPDATE "orders"."orders"
    SET "recovery" = ${action}, "reason" = ${reason}, "updated_at" = now(),
        "next_recovery_at" = CASE WHEN "recovery_attempts" = 0 THEN now() + make_interval(secs => ${firstRetryMs / 1000}::float8)
                                  ELSE "next_recovery_at" END
    WHERE "id" = ${orderId}::uuid AND "status" IN ('PENDING', 'CONFIRMED')`;
  return currentAnswer(db, orderId);
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
