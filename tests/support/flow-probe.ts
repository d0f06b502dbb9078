/**
 * The order flow's probe for the system tests (tests/system/*.int.test.ts) and the fault matrix
 * (scripts/chaos/matrix.ts): talk to the running system the way a client does, read each
 * service's tables directly (tests may read any schema), and wait for conditions with deadlines,
 * never for fixed times.
 */
import pg from "pg";
import { isTerminalOrderStatus, type OrderStatus, type PlaceOrderInput, type PlaceOrderOutput } from "../../services/contracts/index.ts";
import type { StoredSpan } from "../../server/store/types.ts";
import { lastLines, waitFor as waitUntil } from "./wait-for.ts";

export type OrderRow = {
  id: string;
  style: string;
  status: OrderStatus;
  reason: string | null;
  customer_id: string;
  product_id: string;
  quantity: number;
  amount_cents: number;
  flow_events: string[] | null;
};

export type FlowProbe = {
  pool: pg.Pool;
  /** `waitFor` (./wait-for.ts) with the processes' last output in its timeout message. */
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  placeOrder(input: Partial<PlaceOrderInput> & Pick<PlaceOrderInput, "style">): Promise<PlaceOrderOutput>;
  orderRow(orderId: string): Promise<OrderRow>;
  /** The order once it has left PENDING (and, for hybrid, once shipping's answer was seen). */
  waitForSettled(orderId: string, timeoutMs?: number): Promise<OrderRow>;
  /** The trace's spans once `isComplete` holds for them. */
  waitForTrace(traceId: string, isComplete: (spans: StoredSpan[]) => boolean, timeoutMs?: number): Promise<StoredSpan[]>;
  close(): Promise<void>;
};

/** True once the order is terminal (a hybrid one becomes so when shipping's answer was seen). */
export function isSettled(row: OrderRow): boolean {
  return isTerminalOrderStatus(row.status);
}

export function createFlowProbe(options: { databaseUrl: string; orderUrl: string; collectorUrl: string; logs: string[] }): FlowProbe {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  const context = lastLines(options.logs);
  const waitFor: FlowProbe["waitFor"] = (what, probe, timeoutMs = 20_000) => waitUntil(what, probe, { timeoutMs, intervalMs: 100, context });
  const orderRow = async (orderId: string) => {
    const { rows } = await pool.query<OrderRow>(`SELECT * FROM orders.orders WHERE id = $1`, [orderId]);
    if (!rows[0]) throw new Error(`no order ${orderId}`);
    return rows[0];
  };
  return {
    pool,
    waitFor,
    orderRow,
    async placeOrder(input) {
      const body = { productId: "sku-filter", quantity: 1, customerId: "it-customer", ...input };
      const response = await fetch(`${options.orderUrl}/trpc/order.placeOrder`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { result?: { data: PlaceOrderOutput }; error?: unknown };
      if (!json.result) throw new Error(`placeOrder ${JSON.stringify(body)} failed: HTTP ${response.status} ${JSON.stringify(json.error)}`);
      return json.result.data;
    },
    waitForSettled(orderId, timeoutMs = 30_000) {
      return waitFor(`order ${orderId} to settle`, async () => {
        const row = await orderRow(orderId);
        return isSettled(row) ? row : undefined;
      }, timeoutMs);
    },
    waitForTrace(traceId, isComplete, timeoutMs = 20_000) {
      return waitFor(`trace ${traceId}`, async () => {
        const response = await fetch(`${options.collectorUrl}/api/traces/${traceId}`);
        if (response.status !== 200) return undefined;
        const { spans } = (await response.json()) as { spans: StoredSpan[] };
        return isComplete(spans) ? spans : undefined;
      }, timeoutMs);
    },
    close: () => pool.end(),
  };
}

/** Spans in start order. */
export function byStart(spans: readonly StoredSpan[]): StoredSpan[] {
  return [...spans].sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
}

/** True when `ancestor` is on `child`'s parent chain. */
export function isDescendant(spans: readonly StoredSpan[], child: StoredSpan, ancestor: StoredSpan): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let s: StoredSpan | undefined = child; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
    if (s.parentSpanId === ancestor.spanId) return true;
  }
  return false;
}
