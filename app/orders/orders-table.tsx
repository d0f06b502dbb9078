"use client";
import { useQuery } from "@tanstack/react-query";
import { formatDuration } from "../lib/format.ts";
import { DURATIONS } from "../../server/trace/durations.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { isTerminalOrderStatus } from "../../services/contracts/order.ts";
import { orderFlag } from "./order-flag.ts";
import { OrderLinks } from "./order-links.tsx";

const TH = "border-b border-line bg-subtle px-3 py-1.5 text-left font-medium text-muted";
const POLL_MS = 1_500;

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : new Date(iso).toLocaleString();
}

/** The most recent orders with style, status and duration; followed live while any is not terminal. */
export function OrdersTable() {
  const trpc = useTRPC();
  const now = useNow();
  // Polled only while an order is not terminal: every listOrders call is itself a trace, and
  // constant polling would bury the order traces in the trace list.
  const orders = useQuery(
    trpc.orders.list.queryOptions({ limit: 50 }, { refetchInterval: (q) => (q.state.data?.some((o) => !isTerminalOrderStatus(o.status)) ? POLL_MS : false) }),
  );
  const products = useQuery(trpc.products.list.queryOptions());
  const nameOf = new Map(products.data?.map((p) => [p.id, p.name]));

  return (
    <section className="px-4 pb-6">
      <h2 className="mb-2 font-semibold">Recent orders</h2>
      {orders.isPending ? (
        <p className="text-muted">Loading orders…</p>
      ) : orders.isError ? (
        <StatePanel title="Could not load orders" tone="danger">
          {errorMessageOf(orders.error)}
        </StatePanel>
      ) : orders.data.length === 0 ? (
        <p className="text-muted" data-testid="orders-empty">
          No orders yet. Place one above: it becomes a trace across the services its style involves.
        </p>
      ) : (
        <table className="w-full max-w-6xl border-separate border-spacing-0 rounded-md border border-line" data-testid="orders-table">
          <thead>
            <tr>
              {["Status", "Style", "Product", "Qty", "Customer", "Placed", DURATIONS.orderTime.label, ""].map((h) => (
                <th key={h} className={`${TH} ${h === "Qty" || h === DURATIONS.orderTime.label ? "text-right" : ""}`}>
                  {h === DURATIONS.orderTime.label ? (
                    <span className="cursor-help underline decoration-dotted underline-offset-2" title={`${DURATIONS.orderTime.definition} The trace list shows the trace duration instead, which also counts async work after the answer.`}>
                      {h}
                    </span>
                  ) : (
                    h
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="[&_td]:border-b [&_td]:border-line [&_td]:px-3 [&_td]:py-1.5">
            {orders.data.map((order) => {
              const flag = orderFlag(order, now);
              return (
              <tr key={order.id} className="hover:bg-hover" data-testid="order-row" data-order-id={order.id} data-status={order.status}>
                <td className="max-w-md">
                  <StatusBadge status={order.status} title={order.reason ?? undefined} />
                  {flag && (
                    <span className="ml-1" data-testid="order-flag">
                      <StatusBadge status={flag.label} title={flag.why} />
                    </span>
                  )}
                  {(flag?.why ?? order.reason) && <span className="ml-2 text-[12px] break-words text-muted">{flag?.why ?? order.reason}</span>}
                </td>
                <td>{order.style}</td>
                <td>{nameOf.get(order.productId) ?? order.productId}</td>
                <td className="text-right tabular-nums">{order.quantity}</td>
                <td className="text-muted">{order.customerId}</td>
                <td className="whitespace-nowrap text-muted" title={new Date(order.createdAt).toLocaleString()}>
                  {ago(order.createdAt, now)}
                </td>
                <td className="text-right tabular-nums" data-testid="order-time">{order.durationMs === null ? <span className="text-muted">…</span> : formatDuration(order.durationMs * 1e6)}</td>
                <td>
                  <OrderLinks orderId={order.id} style={order.style} traceId={order.traceId} />
                </td>
              </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
