import { trace } from "@opentelemetry/api";
import {
  Attr,
  ChargePaymentInputSchema,
  ChargePaymentOutputSchema,
  GetPaymentInputSchema,
  GetPaymentOutputSchema,
  RefundPaymentInputSchema,
  RefundPaymentOutputSchema,
} from "../contracts/index.ts";
import type { Db } from "./db.ts";
import { initServiceTrpc } from "../kit/trpc.ts";
import { chargePayment, getPayment, refundPayment, type ChargeTxDb } from "./payments.ts";

const { router, procedure } = initServiceTrpc();

/**
 * Payment's tRPC router: `payment.chargePayment`, `payment.refundPayment`, `payment.getPayment`.
 * `chargeDb` runs the charge (on the hot path of every order: a plain `pg` pool in the service,
 * see services/kit/pg-tx.ts); the typed client does the rest.
 */
export function createPaymentRouter(db: Db, chargeDb: ChargeTxDb = db) {
  return router({
    payment: router({
      chargePayment: procedure
        .input(ChargePaymentInputSchema)
        .output(ChargePaymentOutputSchema)
        .mutation(async ({ input }) => {
          const span = trace.getActiveSpan();
          span?.setAttributes({
            [Attr.ORDER_ID]: input.orderId,
            [Attr.CUSTOMER_ID]: input.customerId,
            [Attr.PAYMENT_AMOUNT]: input.amountCents,
            [Attr.IDEMPOTENCY_KEY]: input.idempotencyKey,
          });
          const result = await chargePayment(chargeDb, input);
          if (result.paymentId) span?.setAttribute(Attr.PAYMENT_ID, result.paymentId);
          if (result.reason) span?.setAttribute(Attr.ORDER_REASON, result.reason);
          return result;
        }),
      refundPayment: procedure
        .input(RefundPaymentInputSchema)
        .output(RefundPaymentOutputSchema)
        .mutation(async ({ input }) => {
          const span = trace.getActiveSpan();
          span?.setAttributes({ [Attr.ORDER_ID]: input.orderId, [Attr.ORDER_REASON]: input.reason });
          const result = await refundPayment(db, input.orderId, input.reason);
          if (result.paymentId) span?.setAttribute(Attr.PAYMENT_ID, result.paymentId);
          return result;
        }),
      getPayment: procedure
        .input(GetPaymentInputSchema)
        .output(GetPaymentOutputSchema)
        .query(({ input }) => getPayment(db, input.orderId)),
    }),
  });
}

/** The router's type, for typed clients (order service, dashboard). */
export type PaymentRouter = ReturnType<typeof createPaymentRouter>;
