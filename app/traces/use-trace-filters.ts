"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/** Trace-list filters as they appear in the URL: `?service=order&errors=1&q=place`. */
export type TraceFilters = { service?: string; hasError?: boolean; search?: string };

/** Reads the filters from the query string and writes changes back (replace, no scroll jump). */
export function useTraceFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const filters = useMemo<TraceFilters>(
    () => ({
      service: params.get("service") || undefined,
      hasError: params.get("errors") === "1" || undefined,
      search: params.get("q")?.trim() || undefined,
    }),
    [params],
  );

  const setFilters = useCallback(
    (patch: Partial<TraceFilters>) => {
      const next = { ...filters, ...patch };
      const query = new URLSearchParams();
      if (next.service) query.set("service", next.service);
      if (next.hasError) query.set("errors", "1");
      if (next.search) query.set("q", next.search);
      const qs = query.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [filters, pathname, router],
  );

  return { filters, setFilters };
}
