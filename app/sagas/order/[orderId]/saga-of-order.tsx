"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { StatePanel } from "../../../components/state-panel.tsx";
import { errorMessageOf } from "../../../lib/errors.ts";
import { useTRPC } from "../../../lib/trpc.ts";

/** Looks the saga up by order id (polling: its first span may still be on its way), then opens it. */
export function SagaOfOrder({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const query = useQuery(
    trpc.sagas.ofOrder.queryOptions({ orderId }, { retry: false, refetchInterval: (q) => (q.state.data?.sagaId || q.state.error ? false : 1_000) }),
  );
  const sagaId = query.data?.sagaId;
  useEffect(() => {
    if (sagaId) router.replace(`/sagas/${encodeURIComponent(sagaId)}`);
  }, [sagaId, router]);
  if (query.isError) {
    return (
      <StatePanel title="Could not look up the saga" tone="danger">
        {errorMessageOf(query.error)}
      </StatePanel>
    );
  }
  return <StatePanel title="Opening the saga…">Waiting for the first saga span of order {orderId}.</StatePanel>;
}
