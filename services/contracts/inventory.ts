import { z } from "zod";
import { OrderIdSchema } from "./order.ts";

export const ProductSchema = z.object({
  id: z.string(),
  name: z.string(),
  priceCents: z.number().int(),
  stock: z.number().int(),
});
export type Product = z.infer<typeof ProductSchema>;
export const ListProductsOutputSchema = z.array(ProductSchema);

export const ReserveStockInputSchema = z.object({
  orderId: OrderIdSchema,
  productId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(1000),
});
export type ReserveStockInput = z.infer<typeof ReserveStockInputSchema>;

/** Out of stock is a business outcome, not an error: `reserved: false` with a reason. */
export const ReserveStockOutputSchema = z.object({
  reserved: z.boolean(),
  remaining: z.number().int(),
  reason: z.string().nullable(),
});
export type ReserveStockOutput = z.infer<typeof ReserveStockOutputSchema>;

/**
 * `inventory.releaseStock`: gives an order's reservation back; a no-op when there is none. With
 * `productId`, a release that finds no reservation leaves a RELEASED marker, so a reserve that
 * arrives late (a timed-out call that still ran) is refused instead of holding stock forever.
 */
export const ReleaseStockInputSchema = z.object({
  orderId: OrderIdSchema,
  reason: z.string().min(1).max(500),
  productId: z.string().min(1).max(64).optional(),
});
export type ReleaseStockInput = z.infer<typeof ReleaseStockInputSchema>;
export const ReleaseStockOutputSchema = z.object({ released: z.boolean(), remaining: z.number().int().nullable() });
export type ReleaseStockOutput = z.infer<typeof ReleaseStockOutputSchema>;
