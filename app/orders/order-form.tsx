"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ORDER_STYLES, type OrderStyle } from "../../services/contracts/flow.ts";
import { isTerminalOrderStatus, type PlaceOrderInput, type PlaceOrderOutput } from "../../services/contracts/order.ts";
import { StatusBadge } from "../components/status-badge.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC, useTRPCClient } from "../lib/trpc.ts";
import { OrderLinks } from "./order-links.tsx";

const INPUT = "rounded-md border border-line-strong bg-bg px-2 py-1.5";

const STYLE_HINTS: Record<OrderStyle, string> = {
  sync: "order calls inventory, payment, shipping in turn over tRPC",
  choreography: "services react to each other's events, no coordinator",
  saga: "an orchestrator drives persisted steps, compensating in reverse",
  hybrid: "stock and payment synchronous, then events fan out",
};

/** Product, quantity, customer and style; shows the outcome, or compares all four styles. */
export function OrderForm() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const queryClient = useQueryClient();
  const products = useQuery(trpc.products.list.queryOptions());
  const [productId, setProductId] = useState("");
  const [quantity, setQuantity] = useState(1);
  const [customerId, setCustomerId] = useState("customer-1");
  const [style, setStyle] = useState<OrderStyle>("hybrid");
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.orders.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.products.list.queryKey() });
  };
  const place = useMutation(trpc.orders.place.mutationOptions({ onSuccess: refresh }));
  // Sequential, not parallel: the four orders then meet the same stock one after the other.
  const placeAll = useMutation({
    mutationFn: async (input: Omit<PlaceOrderInput, "style">) => {
      const placed: PlaceOrderOutput[] = [];
      for (const s of ORDER_STYLES) placed.push(await client.orders.place.mutate({ ...input, style: s }));
      return placed;
    },
    onSuccess: (placed) => {
      refresh();
      router.push(`/compare?orders=${placed.map((p) => p.orderId).join(",")}`);
    },
  });
  const selected = productId || products.data?.[0]?.id || "";
  const input = () => ({ productId: selected, quantity, customerId: customerId.trim() });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    place.mutate({ ...input(), style });
  };
  const busy = place.isPending || placeAll.isPending;

  return (
    <section id="place-order" className="m-4 max-w-4xl rounded-lg border border-line bg-subtle p-4">
      <h2 className="mb-3 font-semibold">Place an order</h2>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-muted">Product</span>
          <select aria-label="Product" value={selected} onChange={(e) => setProductId(e.target.value)} disabled={!products.data?.length} className={`${INPUT} min-w-56`}>
            {products.data?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} — {(p.priceCents / 100).toFixed(2)} ({p.stock} in stock)
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-muted">Quantity</span>
          <input aria-label="Quantity" type="number" min={1} max={1000} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} className={`${INPUT} w-20`} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-muted">Customer</span>
          <input aria-label="Customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)} className={`${INPUT} w-40`} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-muted">Style</span>
          <select aria-label="Style" value={style} onChange={(e) => setStyle(e.target.value as OrderStyle)} className={`${INPUT} w-36`} title={STYLE_HINTS[style]}>
            {ORDER_STYLES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || !selected} className="rounded-md bg-accent px-4 py-1.5 font-medium text-accent-fg hover:opacity-90 disabled:opacity-50">
          {place.isPending ? "Placing…" : "Place order"}
        </button>
        <button
          type="button"
          disabled={busy || !selected}
          onClick={() => placeAll.mutate(input())}
          className="rounded-md border border-line-strong bg-bg px-3 py-1.5 font-medium hover:bg-hover disabled:opacity-50"
          title="Places the same order once per style and opens the comparison"
        >
          {placeAll.isPending ? "Placing 4 orders…" : "Place in every style & compare"}
        </button>
      </form>
      <p className="mt-2 text-[12px] text-muted">
        <span className="font-medium">{style}</span>: {STYLE_HINTS[style]}. Customer <span className="font-mono">customer-broke</span> is always
        declined; shipping refuses parcels over 20 units.
      </p>
      {products.isError && (
        <p className="mt-3 text-danger" role="alert">
          Products unavailable: {errorMessageOf(products.error)}
        </p>
      )}
      {products.isSuccess && products.data.length === 0 && <p className="mt-3 text-muted">The inventory has no products yet.</p>}
      {(place.isError || placeAll.isError) && (
        <p className="mt-3 text-danger" role="alert" data-testid="order-error">
          Order failed: {errorMessageOf(place.error ?? placeAll.error)}
        </p>
      )}
      {place.data && !place.isPending && <OrderResult result={place.data} />}
    </section>
  );
}

/**
 * What placing answered, followed live until the order is terminal: a hybrid order answers
 * CONFIRMED and ends COMPLETED or COMPENSATED later; a delayed payment answers PENDING with the
 * fallback's words and ends when payment recovers.
 */
function OrderResult({ result }: { result: PlaceOrderOutput }) {
  const trpc = useTRPC();
  const followed = useQuery(
    trpc.orders.get.queryOptions(
      { orderId: result.orderId },
      { enabled: !isTerminalOrderStatus(result.status), refetchInterval: (q) => (q.state.data && isTerminalOrderStatus(q.state.data.status) ? false : 1_000) },
    ),
  );
  const now = followed.data ?? null;
  const status = now?.status ?? result.status;
  const reason = now ? now.reason : result.reason;
  return (
    <div className="mt-3 flex flex-wrap items-center gap-3 rounded-md border border-line bg-bg px-3 py-2" data-testid="order-result" role="status" data-status={status}>
      {now && now.status !== result.status && (
        <>
          <span className="text-[12px] text-muted" data-testid="order-answered">
            answered <StatusBadge status={result.status} />
          </span>
          <span className="text-muted">→</span>
        </>
      )}
      <StatusBadge status={status} testId="order-status" />
      <span className="text-muted">{result.style}</span>
      <span className="font-mono text-[12px]" data-testid="order-id">
        {result.orderId}
      </span>
      {reason && <span className="text-muted" data-testid="order-reason">{reason}</span>}
      {!isTerminalOrderStatus(status) && <span className="text-[12px] text-muted">not final yet — followed live until it ends</span>}
      <span className="ml-auto">
        <OrderLinks orderId={result.orderId} style={result.style} traceId={result.traceId} />
      </span>
    </div>
  );
}
