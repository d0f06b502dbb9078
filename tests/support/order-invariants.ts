/**
 * The order flow's invariants, checked against each service's own tables after a run (test
 * support: tests may read every schema; services never do). Returns the violations found.
 */
import type pg from "pg";

type Row = {
  id: string;
  style: string;
  status: string;
  product_id: string;
  quantity: number;
  amount_cents: number;
  payment_status: string | null;
  payment_amount: number | null;
  payments: number;
  reservation_status: string | null;
  shipment_status: string | null;
};

/** Every order of `orderIds` with what payment, inventory and shipping hold for it. */
async function loadOrders(pool: pg.Pool, orderIds: readonly string[]): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    `SELECT o.id, o.style, o.status, o.product_id, o.quantity, o.amount_cents,
            (SELECT p.status::text FROM payment.payments p WHERE p.order_id = o.id) AS payment_status,
            (SELECT p.amount_cents FROM payment.payments p WHERE p.order_id = o.id) AS payment_amount,
            (SELECT count(*)::int FROM payment.payments p WHERE p.order_id = o.id) AS payments,
            (SELECT r.status::text FROM inventory.reservations r WHERE r.order_id = o.id) AS reservation_status,
            (SELECT s.status::text FROM shipping.shipments s WHERE s.order_id = o.id) AS shipment_status
     FROM orders.orders o WHERE o.id = ANY($1::uuid[])`,
    [orderIds],
  );
  return rows;
}

/** What must hold for one order, by its terminal status. */
function orderViolations(row: Row): string[] {
  const problems: string[] = [];
  const where = `${row.style} order ${row.id} (${row.status})`;
  if (row.payments > 1) problems.push(`${where} has ${row.payments} payments`);
  if (row.status === "PENDING") problems.push(`${where} never reached a terminal status`);
  if (row.status === "COMPLETED") {
    if (row.payment_status !== "CHARGED" || row.payment_amount !== row.amount_cents) problems.push(`${where} is not charged its amount once (${row.payment_status} ${row.payment_amount})`);
    if (row.reservation_status !== "RESERVED") problems.push(`${where} has no reservation (${row.reservation_status})`);
    if (row.shipment_status !== "CREATED") problems.push(`${where} has no active shipment (${row.shipment_status})`);
    return problems;
  }
  if (row.payment_status === "CHARGED") problems.push(`${where} was charged and not refunded`);
  if (row.reservation_status === "RESERVED") problems.push(`${where} still holds a reservation`);
  if (row.shipment_status === "CREATED") problems.push(`${where} still has an active shipment`);
  return problems;
}

/**
 * Checks the run: every order terminal; COMPLETED ones charged once, reserved and shipped; every
 * other one refunded (or never charged), released and not shipped; and per product, the stock at
 * the start equals the stock now plus the quantities of the COMPLETED orders.
 */
export async function checkOrderInvariants(pool: pg.Pool, orderIds: readonly string[], initialStock: Record<string, number>): Promise<string[]> {
  const rows = await loadOrders(pool, orderIds);
  const problems = rows.flatMap(orderViolations);
  if (rows.length !== orderIds.length) problems.push(`found ${rows.length} of ${orderIds.length} orders`);
  const { rows: stock } = await pool.query<{ id: string; stock: number }>(`SELECT id, stock FROM inventory.products WHERE id = ANY($1)`, [Object.keys(initialStock)]);
  for (const { id, stock: now } of stock) {
    const completed = rows.filter((r) => r.product_id === id && r.status === "COMPLETED").reduce((sum, r) => sum + r.quantity, 0);
    if (initialStock[id] !== now + completed) problems.push(`stock of ${id}: started ${initialStock[id]}, now ${now} + ${completed} completed`);
  }
  problems.push(...(await creditViolations(pool, orderIds)));
  return problems;
}

/** Each customer's available credit is its limit minus what is still charged (refunds give back). */
async function creditViolations(pool: pg.Pool, orderIds: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ customer_id: string; available: number; expected: number }>(
    `SELECT a.customer_id, a.available_cents AS available,
            a.credit_limit_cents - coalesce((SELECT sum(p.amount_cents)::int FROM payment.payments p
                                             WHERE p.customer_id = a.customer_id AND p.status = 'CHARGED'), 0) AS expected
     FROM payment.accounts a
     WHERE a.customer_id IN (SELECT customer_id FROM orders.orders WHERE id = ANY($1::uuid[]))`,
    [orderIds],
  );
  return rows.filter((r) => r.available !== r.expected).map((r) => `credit of ${r.customer_id}: available ${r.available}, expected ${r.expected}`);
}
