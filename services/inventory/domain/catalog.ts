import type { Product } from "../../contracts/index.ts";

/** Products seeded on start when missing; existing rows (and their stock) are left alone. */
export const SEED_PRODUCTS: readonly Product[] = [
  { id: "sku-espresso", name: "Espresso beans 1 kg", priceCents: 2400, stock: 100 },
  { id: "sku-grinder", name: "Burr grinder", priceCents: 8900, stock: 20 },
  { id: "sku-kettle", name: "Gooseneck kettle", priceCents: 5500, stock: 15 },
  { id: "sku-filter", name: "Paper filters (100)", priceCents: 600, stock: 500 },
  { id: "sku-rare-cup", name: "Hand-thrown cup", priceCents: 3200, stock: 1 },
];

/** Why a reservation could not be made, as shown to the customer. */
export function outOfStockReason(productId: string, requested: number, available: number): string {
  return `out of stock: ${productId} has ${available} left, ${requested} requested`;
}

/** Why a reserve for an order whose reservation was already released is refused. */
export const RELEASED_REASON = "reservation refused: the order's stock was already released";
