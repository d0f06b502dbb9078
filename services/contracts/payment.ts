import { z } from "zod";
import { OrderStyleSchema } from "./flow.ts";
import { OrderIdSchema } from "./order.ts";

/**
 * `payment.chargePayment`: charges a customer's account. `idempotencyKey` is required: a second
 * call with the same key returns the first call's result and charges nothing (retries, saga
 * resumes and redelivered events all reuse the key of their order).
 * A decline (insufficient credit) is an answer (`charged: false` + reason), not an error.
 */
export const ChargePaymentInputSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1).max(64),
  amountCents: z.number().int().min(1).max(100_000_000),
  idempotencyKey: z.string().min(8).max(128),
});
export type ChargePaymentInput = z.infer<typeof ChargePaymentInputSchema>;

export const ChargePaymentOutputSchema = z.object({
  charged: z.boolean(),
  paymentId: z.uuid().nullable(),
  reason: z.string().nullable(),
});
export type ChargePaymentOutput = z.infer<typeof ChargePaymentOutputSchema>;

/** `payment.refundPayment`: refunds the order's charge; idempotent (a second refund is a no-op). */
export const RefundPaymentInputSchema = z.object({
  orderId: OrderIdSchema,
  reason: z.string().min(1).max(500),
});
export const RefundPaymentOutputSchema = z.object({
  /** false when there was no charge to refund (nothing to undo). */
  refunded: z.boolean(),
  paymentId: z.uuid().nullable(),
});
export type RefundPaymentOutput = z.infer<typeof RefundPaymentOutputSchema>;

/**
 * Async request/reply: the credit (fraud) check. The order service sends a request on the
 * point-to-point `credit-check-requests` queue with `replyTo` (its own reply queue) and a
 * `correlationId`; the payment service's worker pool answers on `replyTo` with the same id.
 */
export const CreditCheckRequestSchema = z.object({
  messageId: z.uuid(),
  correlationId: z.uuid(),
  replyTo: z.string().min(1).max(200),
  orderId: OrderIdSchema,
  customerId: z.string().min(1).max(64),
  amountCents: z.number().int().min(1),
  /** W3C traceparent of the requester, so the reply can link back when it lands late. */
  requestedAt: z.iso.datetime(),
  /** The order's style, so the responder's spans carry `app.order.style` too. */
  style: OrderStyleSchema.optional(),
});
export type CreditCheckRequest = z.infer<typeof CreditCheckRequestSchema>;

export const CreditCheckReplySchema = z.object({
  messageId: z.uuid(),
  correlationId: z.uuid(),
  orderId: OrderIdSchema,
  approved: z.boolean(),
  reason: z.string().nullable(),
});
export type CreditCheckReply = z.infer<typeof CreditCheckReplySchema>;

/** Customers with fixed behaviour, for demos and tests. Every other id gets a default account. */
export const DemoCustomers = {
  /** Has no credit: every charge is declined. */
  BROKE: "customer-broke",
  /** The credit (fraud) check always rejects this customer. */
  FRAUD: "customer-fraud",
} as const;

export const PaymentStatusSchema = z.enum(["CHARGED", "DECLINED", "REFUNDED", "VOIDED"]);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

/** `payment.getPayment`: the order's payment, or null when it has none. */
export const GetPaymentInputSchema = z.object({ orderId: OrderIdSchema });
export const PaymentSchema = z.object({
  id: z.uuid(),
  orderId: OrderIdSchema,
  customerId: z.string(),
  amountCents: z.number().int(),
  /** VOIDED: a refund arrived before any charge, so a late charge for the order is refused. */
  status: PaymentStatusSchema,
  reason: z.string().nullable(),
  createdAt: z.string(),
  refundedAt: z.string().nullable(),
});
export type Payment = z.infer<typeof PaymentSchema>;
export const GetPaymentOutputSchema = PaymentSchema.nullable();
