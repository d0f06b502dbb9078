import { z } from "zod";
import { OrderIdSchema } from "./order.ts";

/**
 * `shipping.createShipment`: books a shipment for an order; idempotent per order. A refusal
 * (for example a parcel over the size limit) is an answer (`created: false` + reason).
 */
export const CreateShipmentInputSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1).max(64),
  productId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(1000),
});
export type CreateShipmentInput = z.infer<typeof CreateShipmentInputSchema>;

export const CreateShipmentOutputSchema = z.object({
  created: z.boolean(),
  shipmentId: z.uuid().nullable(),
  reason: z.string().nullable(),
});
export type CreateShipmentOutput = z.infer<typeof CreateShipmentOutputSchema>;

/** `shipping.cancelShipment`: cancels the order's shipment; a no-op when there is none. */
export const CancelShipmentInputSchema = z.object({ orderId: OrderIdSchema, reason: z.string().min(1).max(500) });
export const CancelShipmentOutputSchema = z.object({ cancelled: z.boolean() });

/** Parcels of more units than this are refused (a business outcome that makes flows compensate). */
export const MAX_PARCEL_QUANTITY = 20;

export const ShipmentStatusSchema = z.enum(["CREATED", "REJECTED", "CANCELLED"]);
export type ShipmentStatus = z.infer<typeof ShipmentStatusSchema>;

/** `shipping.getShipment`: the order's shipment, or null when it has none. */
export const GetShipmentInputSchema = z.object({ orderId: OrderIdSchema });
export const ShipmentSchema = z.object({
  id: z.uuid(),
  orderId: OrderIdSchema,
  productId: z.string(),
  quantity: z.number().int(),
  status: ShipmentStatusSchema,
  reason: z.string().nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
});
export type Shipment = z.infer<typeof ShipmentSchema>;
export const GetShipmentOutputSchema = ShipmentSchema.nullable();
