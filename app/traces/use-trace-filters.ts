"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseDuration } from "../../server/trace/search-query.ts";

/** Relative time ranges offered (the server's SINCE_WINDOWS keys). */
export const SINCE_OPTIONS = ["5m", "15m", "1h", "6h", "24h", "7d"] as const;
export type Since = (typeof SINCE_OPTIONS)[number];
/** Result limits offered; the list loads this many at a time. */
export const LIMIT_OPTIONS = [20, 50, 100, 200] as const;

/**
 * Trace-list filters as they appear in the URL:
 * `?service=order&op=order.placeOrder&errors=1&q=app.order.style%3Dsaga&minDuration=100ms
 * &maxDuration=2s&since=1h&limit=20&experiment=exp-1a2b3c4d`, or `from=2026-12-03T10:00&to=…`
 * (local time) instead of `since`. `q` is the search box (grammar: server/trace/search-query.ts);
 * `experiment`: only traces a chaos experiment affected (the chaos panel links there).
 * The object is also the input of `traces.list`: `from`/`to` are Unix ns there.
 */
export type TraceFilters = {
  service?: string;
  operation?: string;
  hasError?: boolean;
  search?: string;
  minDuration?: string;
  maxDuration?: string;
  since?: Since;
  from?: string;
  to?: string;
  limit?: number;
  experimentId?: string;
};

const EXPERIMENT_ID = /^exp-[0-9a-f]{8}$/;

/** Whether any filter narrows the list (the empty state then says so instead of "no traces yet"). */
export function hasFilters(f: TraceFilters): boolean {
  return Boolean(f.service || f.operation || f.hasError || f.search || f.minDuration || f.maxDuration || f.since || f.from || f.to || f.experimentId);
}

/** `2026-12-03T10:00` (local time, as a datetime-local input writes it) -> Unix ns, or undefined. */
export function localTimeToNs(text: string | null): string | undefined {
  if (!text) return undefined;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) && ms >= 0 ? (BigInt(ms) * 1_000_000n).toString() : undefined;
}

/** Unix ns -> `2026-12-03T10:00` in local time, for the URL and datetime-local inputs. */
export function nsToLocalTime(ns: string): string {
  const d = new Date(Number(BigInt(ns) / 1_000_000n));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `to` names a minute: the whole minute is in the range. */
function endOfMinute(ns: string | undefined): string | undefined {
  return ns === undefined ? undefined : (BigInt(ns) + 59_999_999_999n).toString();
}

/** Filters from the query string; a malformed value is ignored rather than sent (the server would refuse the whole list). */
function readFilters(params: URLSearchParams): TraceFilters {
  const duration = (name: string) => {
    const text = params.get(name)?.trim();
    return text && parseDuration(text) !== null ? text : undefined;
  };
  const since = params.get("since") as Since | null;
  const limit = Number(params.get("limit"));
  const hasRange = params.has("from") || params.has("to");
  return {
    service: params.get("service") || undefined,
    operation: params.get("op") || undefined,
    hasError: params.get("errors") === "1" || undefined,
    search: params.get("q")?.trim() || undefined,
    minDuration: duration("minDuration"),
    maxDuration: duration("maxDuration"),
    since: !hasRange && since && SINCE_OPTIONS.includes(since) ? since : undefined,
    from: localTimeToNs(params.get("from")),
    to: endOfMinute(localTimeToNs(params.get("to"))),
    limit: (LIMIT_OPTIONS as readonly number[]).includes(limit) ? limit : undefined,
    experimentId: EXPERIMENT_ID.test(params.get("experiment") ?? "") ? params.get("experiment")! : undefined,
  };
}

function writeFilters(f: TraceFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (f.service) query.set("service", f.service);
  if (f.operation) query.set("op", f.operation);
  if (f.hasError) query.set("errors", "1");
  if (f.search) query.set("q", f.search);
  if (f.minDuration) query.set("minDuration", f.minDuration);
  if (f.maxDuration) query.set("maxDuration", f.maxDuration);
  if (f.since) query.set("since", f.since);
  if (f.from) query.set("from", nsToLocalTime(f.from));
  if (f.to) query.set("to", nsToLocalTime(f.to));
  if (f.limit) query.set("limit", String(f.limit));
  if (f.experimentId) query.set("experiment", f.experimentId);
  return query;
}

/** Reads the filters from the query string and writes changes back (replace, no scroll jump). */
export function useTraceFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const filters = useMemo<TraceFilters>(() => readFilters(params), [params]);

  const setFilters = useCallback(
    (patch: Partial<TraceFilters>) => {
      const qs = writeFilters({ ...filters, ...patch }).toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [filters, pathname, router],
  );

  return { filters, setFilters };
}
