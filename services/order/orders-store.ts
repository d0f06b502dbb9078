import { AppError, isTerminalOrderStatus, type Order, type TerminalOrderStatus } from "../contracts/index.ts";
import type { TemplateStatements } from "../kit/db.ts";
import { sql, type Statement } from "../kit/statement.ts";
import type { Db } from "./db.ts";
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
 * keeps its own state and resumes them. Raw SQL (like the other writes here), so it runs on the
 * typed client, in its transactions, and on the hot path's plain `pg` pool alike.
 */
export async function insertPendingOrder(db: TemplateStatements, order: FlowOrder, traceId: string, leaseMs: number | null): Promise<void> {
  const nextRecoveryAt = leaseMs === null ? null : new Date(Date.now() + leaseMs);
  await db.$executeRaw`
    INSERT INTO "orders"."orders" ("id", "customer_id", "product_id", "quantity", "amount_cents", "style", "status",
                                   "trace_id", "traceparent", "next_recovery_at", "updated_at")
    VALUES (${order.id}::uuid, ${order.customerId}, ${order.productId}, ${order.quantity}::int, ${order.amountCents}::int,
            ${order.style}::"orders"."OrderStyle", 'PENDING', ${traceId}, ${activeTraceHeaders().traceparent ?? null},
            ${nextRecoveryAt}::timestamptz, now())`;
}

/** The order's current status and reason (what a flow answers when someone else finished it). */
export async function currentAnswer(db: TemplateStatements, orderId: string): Promise<FlowAnswer> {
  const [row] = await db.$queryRaw<FlowAnswer[]>`
    SELECT "status"::text AS "status", "reason" FROM "orders"."orders" WHERE "id" = ${orderId}::uuid`;
  if (!row) throw new AppError("NOT_FOUND", `no order ${orderId}`);
  return row;
}

/**
 * Ends the order with a terminal status, stamping `completed_at`, unless it already ended
 * (first writer wins: a late flow never overwrites the sweeper's verdict or the other way round).
 * Answers the order's status as it now stands.
 */
export async function finishOrder(db: TemplateStatements, orderId: string, status: TerminalOrderStatus, reason: string | null): Promise<FlowAnswer> {
  const count = await db.$executeRaw`
    UPDATE "orders"."orders"
    SET "status" = ${status}::"orders"."OrderStatus", "reason" = ${reason}::text, "completed_at" = now(), "updated_at" = now(),
        "recovery" = NULL, "next_recovery_at" = NULL
    WHERE "id" = ${orderId}::uuid AND "status" IN ('PENDING', 'CONFIRMED')`;
  return count === 1 ? { status, reason } : currentAnswer(db, orderId);
}

/**
 * Hybrid: stock and payment are done, shipping is to answer by events. PENDING -> CONFIRMED, as
 * a statement that returns a row only when the order was still PENDING (so the outbox row that
 * announces it is written with it, kit/outbox.ts `enqueueEventWith`). The sweeper asks shipping
 * after `leaseMs`.
 */
export function confirmation(orderId: string, leaseMs: number): Statement {
  return sql`
    UPDATE "orders"."orders"
    SET "status" = 'CONFIRMED', "reason" = NULL, "recovery" = NULL, "updated_at" = now(),
        "next_recovery_at" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    WHERE "id" = ${orderId}::uuid AND "status" = 'PENDING'
    RETURNING 1`;
}

/**
 * Leaves a non-terminal order to the recovery sweeper: what it must do and why (the reason the
 * caller and the dashboard see). The first hand-over is retried after `firstRetryMs`; once the
 * sweeper has taken the order, it owns the schedule (its claim set the next attempt).
 */
export async function parkOrder(db: TemplateStatements, orderId: string, action: RecoveryAction, reason: string, firstRetryMs: number): Promise<FlowAnswer> {
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
