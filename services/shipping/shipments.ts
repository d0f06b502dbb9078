import { randomUUID } from "node:crypto";
import type { CreateShipmentInput, CreateShipmentOutput, Shipment, ShipmentStatus } from "../contracts/index.ts";
import type { TemplateStatements } from "../kit/db.ts";
import type { Db, Tx } from "./db.ts";
import { CANCELLED_REASON, parcelRefusal } from "./domain/parcel.ts";

type ShipmentRow = { id: string; status: ShipmentStatus; reason: string | null };

/** What a stored shipment answers to a (repeated) create. */
function createResult(row: ShipmentRow): CreateShipmentOutput {
  if (row.status === "CREATED") return { created: true, shipmentId: row.id, reason: null };
  return { created: false, shipmentId: row.id, reason: row.reason ?? (row.status === "CANCELLED" ? CANCELLED_REASON : null) };
}

/**
 * Books the order's shipment in the caller's transaction, or records the refusal (a parcel over
 * the size limit). Idempotent per order: the row is claimed with ON CONFLICT, so a repeat — or a
 * concurrent duplicate, once the first commits — returns the first answer.
 */
export async function createInTx(tx: TemplateStatements, input: CreateShipmentInput): Promise<CreateShipmentOutput> {
  const id = randomUUID();
  const refusal = parcelRefusal(input.quantity);
  const status: ShipmentStatus = refusal ? "REJECTED" : "CREATED";
  const inserted = await tx.$executeRaw`
    INSERT INTO "shipping"."shipments" ("id", "order_id", "customer_id", "product_id", "quantity", "status", "reason")
    VALUES (${id}::uuid, ${input.orderId}::uuid, ${input.customerId}, ${input.productId}, ${input.quantity},
            ${status}::"shipping"."ShipmentStatus", ${refusal})
    ON CONFLICT ("order_id") DO NOTHING`;
  if (inserted > 0) return { created: !refusal, shipmentId: id, reason: refusal };
  const [existing] = await tx.$queryRaw<ShipmentRow[]>`
    SELECT "id", "status", "reason" FROM "shipping"."shipments" WHERE "order_id" = ${input.orderId}::uuid`;
  if (!existing) throw new Error(`shipment of order ${input.orderId} vanished between insert and read`);
  return createResult(existing);
}

/**
 * Cancels the order's shipment in the caller's transaction. Idempotent: only a CREATED shipment
 * is cancelled; a cancelled one answers `cancelled: true` again. With no shipment, a CANCELLED
 * marker is left so a create that arrives late is refused.
 */
export async function cancelInTx(tx: Tx, orderId: string, reason: string): Promise<{ cancelled: boolean }> {
  const updated = await tx.$executeRaw`
    UPDATE "shipping"."shipments" SET "status" = 'CANCELLED', "cancelled_at" = now(), "reason" = ${reason}
    WHERE "order_id" = ${orderId}::uuid AND "status" = 'CREATED'`;
  if (updated > 0) return { cancelled: true };
  const existing = await tx.shipment.findUnique({ where: { orderId } });
  if (existing) return { cancelled: existing.status === "CANCELLED" };
  const marked = await tx.$executeRaw`
    INSERT INTO "shipping"."shipments" ("id", "order_id", "customer_id", "product_id", "quantity", "status", "reason", "cancelled_at")
    VALUES (${randomUUID()}::uuid, ${orderId}::uuid, '', '', 0, 'CANCELLED', ${reason}, now())
    ON CONFLICT ("order_id") DO NOTHING`;
  // A concurrent create won the row: cancel that shipment instead.
  if (marked === 0) return cancelInTx(tx, orderId, reason);
  return { cancelled: false };
}

export const createShipment = (db: Db, input: CreateShipmentInput) => db.$transaction((tx) => createInTx(tx, input));
export const cancelShipment = (db: Db, orderId: string, reason: string) => db.$transaction((tx) => cancelInTx(tx, orderId, reason));

/** The order's shipment in the contract's shape, or null. */
export async function getShipment(db: Db, orderId: string): Promise<Shipment | null> {
  const row = await db.shipment.findUnique({ where: { orderId } });
  if (!row) return null;
  return {
    id: row.id,
    orderId: row.orderId,
    productId: row.productId,
    quantity: row.quantity,
    status: row.status,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
  };
}
