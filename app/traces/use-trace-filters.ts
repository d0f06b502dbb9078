"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * Trace-list filters as they appear in the URL: `?service=order&errors=1&q=place&experiment=exp-1a2b3c4d`
 * (`experiment`: only traces a chaos experiment affected; the chaos panel links there).
 */
export type TraceFilters = { service?: string; hasError?: boolean; search?: string; experimentId?: string };

const EXPERIMENT_ID = /^exp-[0-9a-f]{8}$/;

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
      // A malformed id is ignored rather than sent (the server would refuse the whole list).
      experimentId: EXPERIMENT_ID.test(params.get("experiment") ?? "") ? params.get("experiment")! : undefined,
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
      if (next.experimentId) query.set("experiment", next.experimentId);
      const qs = query.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [filters, pathname, router],
  );

  return { filters, setFilters };
}
