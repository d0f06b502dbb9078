"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { parseSearchQuery, SearchQueryError } from "../../server/trace/search-query.ts";
import { LabeledSelect, nameOptions } from "../components/labeled-select.tsx";
import { useTRPC } from "../lib/trpc.ts";
import { DurationInput, LimitSelect, TimeRange } from "./search-controls.tsx";
import type { TraceFilters } from "./use-trace-filters.ts";

const SEARCH_DEBOUNCE_MS = 300;

/** The search box's own complaint about its text (same parser as the server), or null. */
function searchErrorOf(text: string): string | null {
  try {
    parseSearchQuery(text);
    return null;
  } catch (error) {
    if (error instanceof SearchQueryError) return error.message;
    throw error;
  }
}

/**
 * Service and operation selects, errors-only switch, time range, limit, duration bounds and the
 * search box (attribute conditions, ids, root name; grammar in server/trace/search-query.ts).
 */
export function TraceFilterBar({
  filters,
  onChange,
}: {
  filters: TraceFilters;
  onChange: (patch: Partial<TraceFilters>) => void;
}) {
  const trpc = useTRPC();
  const services = useQuery(trpc.traces.services.queryOptions(undefined, { refetchInterval: 10_000 }));
  const operations = useQuery(trpc.traces.operations.queryOptions({ service: filters.service }, { refetchInterval: 10_000 }));
  const [search, setSearch] = useState(filters.search ?? "");
  // The URL is the source of truth, but it updates a moment after a click; local copies keep the
  // controls from flicking back meanwhile, and follow the URL on back/forward.
  const [service, setService] = useState(filters.service ?? "");
  const [hasError, setHasError] = useState(filters.hasError ?? false);
  useEffect(() => setService(filters.service ?? ""), [filters.service]);
  useEffect(() => setHasError(filters.hasError ?? false), [filters.hasError]);
  const searchError = searchErrorOf(search);

  // Typing updates the box at once but the URL (and the query) only when the user pauses, and
  // only with text that parses: meanwhile the list keeps the last good search.
  useEffect(() => {
    if ((filters.search ?? "") === search.trim() || searchError) return;
    const timer = setTimeout(() => onChange({ search: search.trim() || undefined }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, searchError, filters.search, onChange]);

  const serviceOptions = new Set(services.data ?? []);
  if (filters.service) serviceOptions.add(filters.service);
  const operationOptions = new Set(operations.data ?? []);
  if (filters.operation) operationOptions.add(filters.operation);

  return (
    <div className="flex flex-col gap-2 border-b border-line px-4 py-2">
      <div className="flex flex-wrap items-center gap-2">
        <LabeledSelect
          label="Service"
          value={service}
          options={nameOptions("All services", serviceOptions)}
          onChange={(next) => {
            setService(next);
            // An operation belongs to its service: changing the service clears it.
            onChange({ service: next || undefined, operation: undefined });
          }}
          title={service || "All services"}
          className="max-w-56"
        />
        <LabeledSelect
          label="Operation"
          value={filters.operation ?? ""}
          options={nameOptions("All operations", operationOptions)}
          onChange={(next) => onChange({ operation: next || undefined })}
          title={filters.operation ?? "All operations"}
          className="max-w-64"
        />
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
        <TimeRange filters={filters} onChange={onChange} />
        <DurationInput label="Min duration" value={filters.minDuration} onCommit={(minDuration) => onChange({ minDuration })} />
        <DurationInput label="Max duration" value={filters.maxDuration} onCommit={(maxDuration) => onChange({ maxDuration })} />
        <LimitSelect value={filters.limit} onChange={onChange} />
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
      <div className="flex flex-col gap-1">
        <input
          type="search"
          aria-label="Search traces"
          aria-invalid={searchError !== null}
          aria-describedby="trace-search-help"
          placeholder='Order, saga or message id · root span name · trace id · app.order.style=saga http.response.status_code>=500 error.type exists op:"process order-events"'
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className={`w-full rounded-md border bg-bg px-2 py-1 font-mono text-[12px] placeholder:font-sans placeholder:text-muted ${searchError ? "border-danger" : "border-line-strong"}`}
        />
        {searchError ? (
          <p id="trace-search-help" role="alert" data-testid="search-error" className="text-[12px] text-danger">
            {searchError}
          </p>
        ) : (
          <p id="trace-search-help" className="text-[11px] text-muted">
            key=value · key!=value · key&gt;n (&gt;= &lt; &lt;=) · key exists · span.key / resource.key · service: · op: · minDuration:100ms ·
            maxDuration:2s · status:error · &quot;quote values with spaces&quot;
          </p>
        )}
      </div>
    </div>
  );
}
