"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { OrderStyleSchema, SagaStatusSchema, type OrderStyle, type SagaStatus } from "../../services/contracts/flow.ts";

/** Saga-list filters as they appear in the URL: `?status=stuck&style=saga&q=4f2a`. */
export type SagaFilters = { status?: SagaStatus; style?: OrderStyle; search?: string };

/** Reads the filters from the query string (unknown values are ignored) and writes them back. */
export function useSagaFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo<SagaFilters>(
    () => ({
      status: SagaStatusSchema.safeParse(params.get("status")).data,
      style: OrderStyleSchema.safeParse(params.get("style")).data,
      search: params.get("q")?.trim() || undefined,
    }),
    [params],
  );
  const setFilters = useCallback(
    (patch: Partial<SagaFilters>) => {
      const next = { ...filters, ...patch };
      const query = new URLSearchParams();
      if (next.status) query.set("status", next.status);
      if (next.style) query.set("style", next.style);
      if (next.search) query.set("q", next.search);
      const qs = query.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [filters, pathname, router],
  );
  return { filters, setFilters };
}
