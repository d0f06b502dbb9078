import { trace } from "@opentelemetry/api";
import {
  Attr,
  CancelShipmentInputSchema,
  CancelShipmentOutputSchema,
  CreateShipmentInputSchema,
  CreateShipmentOutputSchema,
  GetShipmentInputSchema,
  GetShipmentOutputSchema,
} from "../contracts/index.ts";
import type { Db } from "./db.ts";
import { initServiceTrpc } from "../kit/trpc.ts";
import { cancelShipment, createShipment, getShipment } from "./shipments.ts";

const { router, procedure } = initServiceTrpc();

/** Shipping's tRPC router: `shipping.createShipment`, `shipping.cancelShipment`, `shipping.getShipment`. */
export function createShippingRouter(db: Db) {
  return router({
    shipping: router({
      createShipment: procedure
        .input(CreateShipmentInputSchema)
        .output(CreateShipmentOutputSchema)
        .mutation(async ({ input }) => {
          const span = trace.getActiveSpan();
          span?.setAttributes({ [Attr.ORDER_ID]: input.orderId, [Attr.PRODUCT_ID]: input.productId, [Attr.QUANTITY]: input.quantity });
          const result = await createShipment(db, input);
          if (result.shipmentId) span?.setAttribute(Attr.SHIPMENT_ID, result.shipmentId);
          if (result.reason) span?.setAttribute(Attr.ORDER_REASON, result.reason);
          return result;
        }),
      cancelShipment: procedure
        .input(CancelShipmentInputSchema)
        .output(CancelShipmentOutputSchema)
        .mutation(({ input }) => {
          trace.getActiveSpan()?.setAttributes({ [Attr.ORDER_ID]: input.orderId, [Attr.ORDER_REASON]: input.reason });
          return cancelShipment(db, input.orderId, input.reason);
        }),
      getShipment: procedure
        .input(GetShipmentInputSchema)
        .output(GetShipmentOutputSchema)
        .query(({ input }) => getShipment(db, input.orderId)),
    }),
  });
}

/** The router's type, for typed clients (order service, dashboard). */
export type ShippingRouter = ReturnType<typeof createShippingRouter>;
