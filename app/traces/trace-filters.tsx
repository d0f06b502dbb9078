"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../lib/trpc.ts";
import type { TraceFilters } from "./use-trace-filters.ts";

const SEARCH_DEBOUNCE_MS = 300;

/** Service select, errors-only switch and free-text search above the trace list. */
export function TraceFilterBar({
  filters,
  onChange,
}: {
  filters: TraceFilters;
  onChange: (patch: Partial<TraceFilters>) => void;
}) {
  const trpc = useTRPC();
  const services = useQuery(trpc.traces.services.queryOptions(undefined, { refetchInterval: 10_000 }));
  const [search, setSearch] = useState(filters.search ?? "");
  // The URL is the source of truth, but it updates a moment after a click; local copies keep the
  // controls from flicking back meanwhile, and follow the URL on back/forward.
  const [service, setService] = useState(filters.service ?? "");
  const [hasError, setHasError] = useState(filters.hasError ?? false);
  useEffect(() => setService(filters.service ?? ""), [filters.service]);
  useEffect(() => setHasError(filters.hasError ?? false), [filters.hasError]);

  // Typing updates the box at once but the URL (and the query) only when the user pauses.
  useEffect(() => {
    if ((filters.search ?? "") === search.trim()) return;
    const timer = setTimeout(() => onChange({ search: search.trim() || undefined }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, filters.search, onChange]);

  const serviceOptions = new Set(services.data ?? []);
  if (filters.service) serviceOptions.add(filters.service);

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-line px-4 py-2">
      <label className="flex items-center gap-1.5">
        <span className="text-muted">Service</span>
        <select
          aria-label="Service"
          value={service}
          onChange={(e) => {
            setService(e.target.value);
            onChange({ service: e.target.value || undefined });
          }}
          className="rounded-md border border-line-strong bg-bg px-2 py-1"
        >
          <option value="">All services</option>
          {[...serviceOptions].sort().map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5 rounded-md px-1 py-1 select-none">
        <input
          type="checkbox"
          checked={hasError}
          onChange={(e) => {
            setHasError(e.target.checked);
            onChange({ hasError: e.target.checked || undefined });
          }}
          className="accent-[var(--danger)]"
        />
        Errors only
      </label>
      <input
        type="search"
        aria-label="Search traces"
        placeholder="Search root span name or trace id…"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className="w-72 rounded-md border border-line-strong bg-bg px-2 py-1 placeholder:text-muted"
      />
      {filters.experimentId && (
        <span className="flex items-center gap-1 rounded-md border border-line-strong bg-subtle px-2 py-0.5" data-testid="experiment-filter">
          <span className="text-muted">affected by</span>
          <span className="font-mono">{filters.experimentId}</span>
          <button type="button" aria-label="Clear experiment filter" className="ml-1 text-muted hover:text-fg" onClick={() => onChange({ experimentId: undefined })}>
            ×
          </button>
        </span>
      )}
    </div>
  );
}
