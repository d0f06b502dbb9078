"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parsePageParam } from "../../server/dlq/paging.ts";
import { DEAD_LETTER_REASONS, type DeadLetterReason } from "../../services/contracts/dead-letter.ts";

/**
 * Dead-letter filters as they appear in the URL:
 * `?queue=order-events.payment&reason=exhausted&replayed=no&page=3&open=<id>`.
 */
export type DeadLetterFilters = {
  queue?: string;
  reason?: DeadLetterReason;
  replayed?: "yes" | "no";
  /** The expanded row (a dead-letter id), so a link can point at one message. */
  open?: string;
  /** 1-based page of the list; a filter change goes back to page 1. */
  page: number;
};

const isReason = (value: string | null): value is DeadLetterReason => DEAD_LETTER_REASONS.includes(value as DeadLetterReason);

/** Reads the filters from the query string and writes changes back (replace, no scroll jump). */
export function useDeadLetterFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const filters = useMemo<DeadLetterFilters>(() => {
    const reason = params.get("reason");
    const replayed = params.get("replayed");
    return {
      queue: params.get("queue") || undefined,
      reason: isReason(reason) ? reason : undefined,
      replayed: replayed === "yes" || replayed === "no" ? replayed : undefined,
      open: params.get("open") || undefined,
      page: parsePageParam(params.get("page")),
    };
  }, [params]);

  const setFilters = useCallback(
    (patch: Partial<DeadLetterFilters>) => {
      const isFilterChange = "queue" in patch || "reason" in patch || "replayed" in patch;
      const next = { ...filters, ...(isFilterChange ? { page: 1 } : {}), ...patch };
      const query = new URLSearchParams();
      if (next.queue) query.set("queue", next.queue);
      if (next.reason) query.set("reason", next.reason);
      if (next.replayed) query.set("replayed", next.replayed);
      if (next.page > 1) query.set("page", String(next.page));
      if (next.open) query.set("open", next.open);
      const qs = query.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [filters, pathname, router],
  );

  return { filters, setFilters };
}
