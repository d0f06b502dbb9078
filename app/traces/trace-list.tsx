"use client";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { TraceSummary } from "../../server/store/types.ts";
import { DURATIONS } from "../../server/trace/durations.ts";
import { formatAgo, formatDuration, nsToMs, shortId } from "../lib/format.ts";
import { ServiceChip } from "../components/service-chip.tsx";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { TraceFilterBar } from "./trace-filters.tsx";
import { ForwardingIndicator } from "./forwarding-indicator.tsx";
import { hasFilters, useTraceFilters, type TraceFilters } from "./use-trace-filters.ts";

const PAGE_SIZE = 50;
/** New traces show up within a second without any reload. */
const POLL_MS = 1_000;
/** Traces the compare page takes at once. */
const COMPARE_MIN = 2;
const COMPARE_MAX = 4;

/** The live trace list with its filter bar. */
export function TraceList() {
  const trpc = useTRPC();
  const { filters, setFilters } = useTraceFilters();
  const query = useInfiniteQuery(
    trpc.traces.list.infiniteQueryOptions(
      { limit: PAGE_SIZE, ...filters },
      {
        getNextPageParam: (page) => page.nextCursor,
        refetchInterval: POLL_MS,
        placeholderData: keepPreviousData,
      },
    ),
  );
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const router = useRouter();
  // In the order ticked: the first is the one the others are diffed against.
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (traceId: string) => setSelected((ids) => (ids.includes(traceId) ? ids.filter((id) => id !== traceId) : [...ids, traceId]));
  const canCompare = selected.length >= COMPARE_MIN && selected.length <= COMPARE_MAX;

  return (
    <div className="flex h-full flex-col">
      <div className="flex items-baseline gap-3 px-4 pt-3">
        <h1 className="text-[15px] font-semibold">Traces</h1>
        <span className="text-muted" aria-live="polite">
          {query.isSuccess ? `${items.length}${query.hasNextPage ? "+" : ""} shown · live` : ""}
        </span>
        <ForwardingIndicator />
        <div className="ml-auto flex items-center gap-2 text-[12px]">
          {selected.length > 0 && (
            <button type="button" onClick={() => setSelected([])} className="text-muted hover:text-fg" data-testid="compare-clear">
              Clear selection
            </button>
          )}
          <button
            type="button"
            disabled={!canCompare}
            onClick={() => router.push(`/traces/compare?ids=${selected.join(",")}`)}
            className="rounded-md border border-line-strong px-2.5 py-1 font-medium enabled:hover:bg-hover disabled:opacity-50"
            title={canCompare ? "Open the ticked traces side by side, each diffed against the first ticked" : `Tick ${COMPARE_MIN} to ${COMPARE_MAX} traces to compare them`}
            data-testid="compare-traces"
          >
            Compare {selected.length > 0 ? selected.length : ""}
          </button>
          <Link
            href="/traces/import"
            className="rounded-md border border-line-strong px-2.5 py-1 font-medium hover:bg-hover"
            title="Upload or paste an OTLP JSON or Jaeger JSON file"
          >
            Import
          </Link>
        </div>
      </div>
      <TraceFilterBar filters={filters} onChange={setFilters} />
      <div className="min-h-0 flex-1 overflow-auto">
        {query.isPending ? (
          <div className="p-4 text-muted">Loading traces…</div>
        ) : query.isError && items.length === 0 ? (
          <StatePanel title="Could not load traces" tone="danger" testId="traces-error">
            {errorMessageOf(query.error)} Retrying every second.
          </StatePanel>
        ) : items.length === 0 ? (
          <EmptyList filters={filters} />
        ) : (
          <>
            <TraceTable items={items} selected={selected} onToggle={toggle} />
            {query.hasNextPage && (
              <button
                type="button"
                onClick={() => void query.fetchNextPage()}
                disabled={query.isFetchingNextPage}
                className="mx-4 my-3 rounded-md border border-line-strong px-3 py-1.5 hover:bg-hover"
              >
                {query.isFetchingNextPage ? "Loading…" : "Load older traces"}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}

function EmptyList({ filters }: { filters: TraceFilters }) {
  const isFiltered = hasFilters(filters);
  if (isFiltered) {
    return <StatePanel title="No traces match these filters">Clear a filter to see more.</StatePanel>;
  }
  return (
    <StatePanel title="No traces yet — place an order" testId="traces-empty">
      Every order placed from the{" "}
      <Link href="/orders#place-order" className="text-accent underline">
        Orders
      </Link>{" "}
      page produces one trace across order, inventory and notification. It appears here within a second.
    </StatePanel>
  );
}

const TH = "sticky top-0 z-10 border-b border-line bg-subtle px-3 py-1.5 text-left font-medium text-muted";

/** Trace ids present at first render: only traces that arrive later get the "new" highlight. */
function useArrivals(items: TraceSummary[]): (traceId: string) => boolean {
  const known = useRef<Set<string> | null>(null);
  known.current ??= new Set(items.map((t) => t.traceId));
  return (traceId) => !known.current!.has(traceId);
}

function TraceTable({ items, selected, onToggle }: { items: TraceSummary[]; selected: string[]; onToggle: (traceId: string) => void }) {
  const now = useNow();
  const router = useRouter();
  const isNew = useArrivals(items);
  const maxDuration = Math.max(1, ...items.map((t) => Number(t.durationNs)));
  return (
    <table className="w-full border-separate border-spacing-0" data-testid="trace-table">
      <thead>
        <tr>
          <th className={`${TH} w-8`}>
            <span className="sr-only">Compare</span>
          </th>
          <th className={TH}>Root span</th>
          <th className={TH}>Services</th>
          <th className={`${TH} text-right`}>Spans</th>
          <th className={`${TH} w-48`}>
            <span className="cursor-help underline decoration-dotted underline-offset-2" title={DURATIONS.traceDuration.definition}>
              {DURATIONS.traceDuration.label}
            </span>
          </th>
          <th className={`${TH} text-right`}>Started</th>
        </tr>
      </thead>
      <tbody>
        {items.map((trace) => (
          <TraceRow
            key={trace.traceId}
            trace={trace}
            now={now}
            maxDuration={maxDuration}
            isNew={isNew(trace.traceId)}
            isSelected={selected.includes(trace.traceId)}
            onToggle={() => onToggle(trace.traceId)}
            onOpen={() => router.push(`/traces/${trace.traceId}`)}
          />
        ))}
      </tbody>
    </table>
  );
}

type TraceRowProps = {
  trace: TraceSummary;
  now: number;
  maxDuration: number;
  isNew: boolean;
  isSelected: boolean;
  onToggle: () => void;
  onOpen: () => void;
};

/** One trace: the whole row opens it; the root name is also a real link (middle-click, copy). */
function TraceRow({ trace, now, maxDuration, isNew, isSelected, onToggle, onOpen }: TraceRowProps) {
  return (
    <tr
      data-testid="trace-row"
      data-nav-row
      tabIndex={-1}
      onClick={onOpen}
      className={`cursor-pointer outline-none hover:bg-hover focus:bg-selected ${isNew ? "animate-[row-in_1.5s_ease-out]" : ""} [&>td]:border-b [&>td]:border-line [&>td]:px-3 [&>td]:py-1.5`}
    >
      <td onClick={(e) => e.stopPropagation()} className="pr-0!">
        <input
          type="checkbox"
          checked={isSelected}
          onChange={onToggle}
          aria-label={`Select ${trace.rootName} ${shortId(trace.traceId)} to compare`}
          data-testid="trace-select"
          className="cursor-pointer align-middle"
        />
      </td>
      <td className="max-w-0 min-w-64">
        <div className="flex items-center gap-2">
          {trace.errorCount > 0 && (
            <span
              className="rounded bg-danger-bg px-1.5 text-[11px] font-semibold text-danger"
              title={`${trace.errorCount} span(s) with error status`}
            >
              {trace.errorCount} error{trace.errorCount > 1 ? "s" : ""}
            </span>
          )}
          <Link
            href={`/traces/${trace.traceId}`}
            onClick={(e) => e.stopPropagation()}
            className="truncate font-medium hover:underline"
          >
            {trace.rootName}
          </Link>
          <span className="font-mono text-[11px] text-muted" title={trace.traceId}>
            {shortId(trace.traceId)}
          </span>
        </div>
      </td>
      <td>
        <div className="flex flex-wrap gap-1">
          {trace.services.map((name) => (
            <ServiceChip key={name} name={name} />
          ))}
        </div>
      </td>
      <td className="text-right tabular-nums">{trace.spanCount}</td>
      <td>
        <DurationCell ns={Number(trace.durationNs)} max={maxDuration} />
      </td>
      <td className="text-right whitespace-nowrap text-muted tabular-nums">
        <time
          dateTime={new Date(nsToMs(trace.startTimeUnixNano)).toISOString()}
          title={new Date(nsToMs(trace.startTimeUnixNano)).toLocaleString()}
        >
          {formatAgo(trace.startTimeUnixNano, now)}
        </time>
      </td>
    </tr>
  );
}

/** Duration text with a faint bar relative to the slowest trace shown, to spot outliers. */
function DurationCell({ ns, max }: { ns: number; max: number }) {
  return (
    <div className="flex items-center gap-2">
      <span className="w-16 shrink-0 text-right tabular-nums">{formatDuration(ns)}</span>
      <span className="h-1.5 flex-1 rounded-full bg-hover">
        <span className="block h-full rounded-full bg-line-strong" style={{ width: `${Math.max(2, (ns / max) * 100)}%` }} />
      </span>
    </div>
  );
}
