import Link from "next/link";
import type { OrderStyle } from "../../services/contracts/flow.ts";

/** Where to look at an order: its saga (saga style), its flow and its waterfall. */
export function OrderLinks({ orderId, style, traceId }: { orderId: string; style: OrderStyle; traceId: string | null }) {
  const link = "font-medium text-accent hover:underline";
  return (
    <span className="inline-flex gap-3 whitespace-nowrap">
      {style === "saga" && (
        <Link href={`/sagas/order/${orderId}`} className={link} data-testid="order-saga-link">
          Saga
        </Link>
      )}
      {traceId && (
        <>
          <Link href={`/traces/${traceId}/flow`} className={link} data-testid="order-flow-link">
            Flow
          </Link>
          <Link href={`/traces/${traceId}`} className={link} data-testid="order-trace-link" title={traceId}>
            Trace {traceId.slice(0, 8)}
          </Link>
        </>
      )}
    </span>
  );
}
