import { MAX_PARCEL_QUANTITY } from "../../contracts/index.ts";

/** Why a parcel is refused, or null when it can be shipped. Pure rule: a size limit. */
export function parcelRefusal(quantity: number): string | null {
  if (quantity <= MAX_PARCEL_QUANTITY) return null;
  return `shipment refused: ${quantity} units exceed the parcel limit of ${MAX_PARCEL_QUANTITY}`;
}

/** Why a create for an order whose shipment was already cancelled is refused. */
export const CANCELLED_REASON = "shipment refused: the order's shipment was already cancelled";
