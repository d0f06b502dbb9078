import { randomUUID } from "node:crypto";
import {
  AppError,
  type ChargePaymentInput,
  type ChargePaymentOutput,
  type Payment,
  type PaymentStatus,
  type RefundPaymentOutput,
} from "../contracts/index.ts";
import type { RawStatements, TemplateStatements, TransactionalDb } from "../kit/db.ts";
import type { Db, Tx } from "./db.ts";
import { creditLimitFor, declineReason } from "./domain/credit.ts";

type PaymentRow = { id: string; orderId: string; idempotencyKey: string | null; status: PaymentStatus; reason: string | null };

const VOIDED_REASON = "payment refused: the order was cancelled before it was charged";

/** What a stored payment answers to a (repeated) charge. */
function chargeResult(row: PaymentRow): ChargePaymentOutput {
  if (row.status === "CHARGED" || row.status === "REFUNDED") return { charged: true, paymentId: row.id, reason: null };
  return { charged: false, paymentId: row.id, reason: row.reason ?? (row.status === "VOIDED" ? VOIDED_REASON : null) };
}

/**
 * Claims the payment row of this order/key (as DECLINED until the debit says otherwise) and
 * opens the customer's account with its limit if it has none yet, in one statement. ON CONFLICT
 * covers both unique keys (order, key): a concurrent duplicate waits on the first one's row and
 * then finds it already claimed.
 */
async function claimPayment(tx: TemplateStatements, id: string, input: ChargePaymentInput): Promise<boolean> {
  const limit = creditLimitFor(input.customerId);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH "account" AS (
      INSERT INTO "payment"."accounts" ("customer_id", "credit_limit_cents", "available_cents")
      VALUES (${input.customerId}, ${limit}, ${limit}) ON CONFLICT ("customer_id") DO NOTHING)
    INSERT INTO "payment"."payments" ("id", "order_id", "customer_id", "amount_cents", "idempotency_key", "status")
    VALUES (${id}::uuid, ${input.orderId}::uuid, ${input.customerId}, ${input.amountCents}, ${input.idempotencyKey}, 'DECLINED')
    ON CONFLICT DO NOTHING RETURNING "id"`;
  return rows.length > 0;
}

/**
 * Takes the amount off the available credit only if that much is left, and records the claimed
 * payment as CHARGED, or DECLINED with `declined` as its reason, in one statement. True: charged.
 */
async function debitAndRecord(tx: TemplateStatements, id: string, input: ChargePaymentInput, declined: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ charged: boolean }[]>`
    WITH "debit" AS (
      UPDATE "payment"."accounts" SET "available_cents" = "available_cents" - ${input.amountCents}
      WHERE "customer_id" = ${input.customerId} AND "available_cents" >= ${input.amountCents}
      RETURNING 1)
    UPDATE "payment"."payments"
    SET "status" = (CASE WHEN EXISTS (SELECT 1 FROM "debit") THEN 'CHARGED' ELSE 'DECLINED' END)::"payment"."PaymentStatus",
        "reason" = CASE WHEN EXISTS (SELECT 1 FROM "debit") THEN NULL ELSE ${declined}::text END
    WHERE "id" = ${id}::uuid
    RETURNING "status" = 'CHARGED' AS "charged"`;
  const row = rows[0];
  if (!row) throw new AppError("INTERNAL", `payment ${id} vanished while charging`);
  return row.charged;
}

/**
 * Charges one order in the caller's transaction (a Prisma one or a plain `pg` one: it is written
 * against raw statements). Idempotent: the same key (or the same order) returns the first result
 * and charges nothing. A decline is an answer, recorded like a charge. A key reused for another
 * order is a client bug: CONFLICT.
 */
export async function chargeInTx(tx: TemplateStatements, input: ChargePaymentInput): Promise<ChargePaymentOutput> {
  const id = randomUUID();
  if (!(await claimPayment(tx, id, input))) {
    const [existing] = await tx.$queryRaw<{ id: string; order_id: string; status: PaymentStatus; reason: string | null }[]>`
      SELECT "id"::text AS "id", "order_id"::text AS "order_id", "status"::text AS "status", "reason" FROM "payment"."payments"
      WHERE "idempotency_key" = ${input.idempotencyKey} OR "order_id" = ${input.orderId}::uuid LIMIT 1`;
    if (!existing) throw new AppError("INTERNAL", `payment for order ${input.orderId} vanished while charging`);
    if (existing.order_id !== input.orderId) {
      throw new AppError("CONFLICT", `idempotency key ${input.idempotencyKey} was used for another order`);
    }
    return chargeResult({ ...existing, orderId: existing.order_id, idempotencyKey: input.idempotencyKey });
  }
  const declined = declineReason(input.amountCents);
  const charged = await debitAndRecord(tx, id, input, declined);
  return { charged, paymentId: id, reason: charged ? null : declined };
}

/** Gives the charge's amount back to the customer's account. */
async function credit(tx: Tx, customerId: string, amountCents: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE "payment"."accounts" SET "available_cents" = "available_cents" + ${amountCents} WHERE "customer_id" = ${customerId}`;
}

/**
 * Refunds the order's charge in the caller's transaction. Idempotent: only a CHARGED payment is
 * refunded (the row lock serialises concurrent refunds); an already refunded one answers
 * `refunded: true` again without a second credit. With no payment at all, a VOIDED row is left so
 * a charge arriving late (a timed-out call that still ran) is refused instead of leaking money.
 */
export async function refundInTx(tx: Tx, orderId: string, reason: string): Promise<RefundPaymentOutput> {
  const rows = await tx.$queryRaw<{ id: string; customer_id: string; amount_cents: number }[]>`
    UPDATE "payment"."payments" SET "status" = 'REFUNDED', "refunded_at" = now(), "refund_reason" = ${reason}
    WHERE "order_id" = ${orderId}::uuid AND "status" = 'CHARGED'
    RETURNING "id", "customer_id", "amount_cents"`;
  const refunded = rows[0];
  if (refunded) {
    await credit(tx, refunded.customer_id, refunded.amount_cents);
    return { refunded: true, paymentId: refunded.id };
  }
  const existing = await tx.payment.findUnique({ where: { orderId } });
  if (existing) return { refunded: existing.status === "REFUNDED", paymentId: existing.id };
  const voided = await tx.$executeRaw`
    INSERT INTO "payment"."payments" ("id", "order_id", "customer_id", "amount_cents", "status", "reason")
    VALUES (${randomUUID()}::uuid, ${orderId}::uuid, '', 0, 'VOIDED', ${VOIDED_REASON})
    ON CONFLICT DO NOTHING`;
  // Lost the race to a concurrent charge that has now committed: refund that charge.
  if (voided === 0) return refundInTx(tx, orderId, reason);
  return { refunded: false, paymentId: null };
}

/** What charging needs of a database: transactions of raw statements (Prisma's client or pg-tx's pool). */
export type ChargeTxDb = TransactionalDb<TemplateStatements & RawStatements>;

/** `payment.chargePayment` / `payment.refundPayment` in their own transaction. */
export const chargePayment = (db: ChargeTxDb, input: ChargePaymentInput) => db.$transaction((tx) => chargeInTx(tx, input));
export const refundPayment = (db: Db, orderId: string, reason: string) => db.$transaction((tx) => refundInTx(tx, orderId, reason));

/** The order's payment in the contract's shape, or null. */
export async function getPayment(db: Db, orderId: string): Promise<Payment | null> {
  const row = await db.payment.findUnique({ where: { orderId } });
  if (!row) return null;
  return {
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    amountCents: row.amountCents,
    status: row.status,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    refundedAt: row.refundedAt?.toISOString() ?? null,
  };
}
