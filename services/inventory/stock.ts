import {
  AppError,
  type Product,
  type ReleaseStockInput,
  type ReleaseStockOutput,
  type ReserveStockInput,
  type ReserveStockOutput,
} from "../contracts/index.ts";
import type { RawStatements, TemplateStatements, TransactionalDb } from "../kit/db.ts";
import type { Db, Tx } from "./db.ts";
import { outOfStockReason, RELEASED_REASON, SEED_PRODUCTS } from "./domain/catalog.ts";

/** Inserts the seed products that are missing. Idempotent, and never resets existing stock. */
export async function seedProducts(db: Db): Promise<void> {
  await db.product.createMany({ data: [...SEED_PRODUCTS], skipDuplicates: true });
}

/** Every product with its current stock, by id. */
export async function listProducts(db: Db): Promise<Product[]> {
  return db.product.findMany({ orderBy: { id: "asc" } });
}

/** Takes `quantity` off the stock only if that much is left; returns the new stock or null. */
async function decrementStock(tx: TemplateStatements, productId: string, quantity: number): Promise<number | null> {
  const rows = await tx.$queryRaw<{ stock: number }[]>`
    UPDATE "inventory"."products" SET "stock" = "stock" - ${quantity}
    WHERE "id" = ${productId} AND "stock" >= ${quantity}
    RETURNING "stock"`;
  return rows[0]?.stock ?? null;
}

/**
 * The product's stock (null: no such product) and whether the reservation row for this order was
 * claimed by this call (false when an earlier call already holds it), in one statement: the row
 * is claimed only for a known product.
 */
async function claimReservation(tx: TemplateStatements, input: ReserveStockInput): Promise<{ stock: number | null; claimed: boolean }> {
  const rows = await tx.$queryRaw<{ stock: number | null; claimed: boolean }[]>`
    WITH "product" AS (SELECT "stock" FROM "inventory"."products" WHERE "id" = ${input.productId}),
    "claim" AS (
      INSERT INTO "inventory"."reservations" ("order_id", "product_id", "quantity")
      SELECT ${input.orderId}::uuid, ${input.productId}, ${input.quantity}::int FROM "product"
      ON CONFLICT ("order_id") DO NOTHING
      RETURNING "order_id")
    SELECT (SELECT "stock" FROM "product") AS "stock", EXISTS (SELECT 1 FROM "claim") AS "claimed"`;
  return rows[0] ?? { stock: null, claimed: false };
}

/**
 * Reserves stock for one order in the caller's transaction (a Prisma one or a plain `pg` one: it
 * is written against raw statements). The reservation row (keyed by order id) is claimed first,
 * so a repeated call for the same order — a retry, a redelivered event — reserves nothing twice;
 * a concurrent duplicate waits on that row's lock. A reservation that was already released stays
 * released (a late retry must not take stock again). Out of stock is an answer, not an error.
 */
export async function reserveInTx(tx: TemplateStatements, input: ReserveStockInput): Promise<ReserveStockOutput> {
  const { stock, claimed } = await claimReservation(tx, input);
  if (stock === null) throw new AppError("NOT_FOUND", `unknown product ${input.productId}`);
  if (!claimed) {
    const [existing] = await tx.$queryRaw<{ status: string }[]>`
      SELECT "status"::text AS "status" FROM "inventory"."reservations" WHERE "order_id" = ${input.orderId}::uuid`;
    if (existing?.status === "RELEASED") return { reserved: false, remaining: stock, reason: RELEASED_REASON };
    return { reserved: true, remaining: stock, reason: null };
  }
  const remaining = await decrementStock(tx, input.productId, input.quantity);
  if (remaining !== null) return { reserved: true, remaining, reason: null };
  // Not enough stock: give the claimed row back so a later retry can try again.
  await tx.$executeRaw`DELETE FROM "inventory"."reservations" WHERE "order_id" = ${input.orderId}::uuid`;
  return { reserved: false, remaining: stock, reason: outOfStockReason(input.productId, input.quantity, stock) };
}

/** What reserving needs of a database: transactions of raw statements (Prisma's client or pg-tx's pool). */
export type StockTxDb = TransactionalDb<TemplateStatements & RawStatements>;

/** `inventory.reserveStock` in its own transaction. */
export function reserveStock(db: StockTxDb, input: ReserveStockInput): Promise<ReserveStockOutput> {
  return db.$transaction((tx) => reserveInTx(tx, input));
}

/**
 * Gives an order's reservation back in the caller's transaction. Idempotent: only a RESERVED row
 * is released (its row lock serialises concurrent releases), so the stock comes back once; a
 * second release answers `released: true` again without touching stock. No reservation: false.
 */
export async function releaseInTx(tx: Tx, orderId: string, productId?: string): Promise<ReleaseStockOutput> {
  const rows = await tx.$queryRaw<{ product_id: string; quantity: number }[]>`
    UPDATE "inventory"."reservations" SET "status" = 'RELEASED', "released_at" = now()
    WHERE "order_id" = ${orderId}::uuid AND "status" = 'RESERVED'
    RETURNING "product_id", "quantity"`;
  const released = rows[0];
  if (released) {
    const stock = await tx.$queryRaw<{ stock: number }[]>`
      UPDATE "inventory"."products" SET "stock" = "stock" + ${released.quantity}
      WHERE "id" = ${released.product_id} RETURNING "stock"`;
    return { released: true, remaining: stock[0]?.stock ?? null };
  }
  const existing = await tx.reservation.findUnique({ where: { orderId }, include: { product: true } });
  if (existing) return { released: true, remaining: existing.product.stock };
  if (productId && (await leaveReleasedMarker(tx, orderId, productId)) === 0) return releaseInTx(tx, orderId);
  return { released: false, remaining: null };
}

/**
 * A RELEASED row of quantity 0: a reserve that comes after its own release is refused. Returns 0
 * when a concurrent reserve claimed the row first (the caller then releases that reservation).
 */
async function leaveReleasedMarker(tx: Tx, orderId: string, productId: string): Promise<number> {
  const product = await tx.product.findUnique({ where: { id: productId } });
  if (!product) return 1;
  return tx.$executeRaw`
    INSERT INTO "inventory"."reservations" ("order_id", "product_id", "quantity", "status", "released_at")
    VALUES (${orderId}::uuid, ${productId}, 0, 'RELEASED', now()) ON CONFLICT ("order_id") DO NOTHING`;
}

/** `inventory.releaseStock` in its own transaction. */
export function releaseStock(db: Db, input: ReleaseStockInput): Promise<ReleaseStockOutput> {
  return db.$transaction((tx) => releaseInTx(tx, input.orderId, input.productId));
}
