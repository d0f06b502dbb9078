"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useMemo } from "react";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { EDGE_TYPE_LABEL } from "./format.ts";
import { MapCanvas } from "./map-canvas.tsx";
import { SelectionPanel } from "./selection-panel.tsx";
import { useLayout } from "./use-layout.ts";
import { useMapParams, WINDOWS } from "./use-map-params.ts";
import { parseNodeId, type EdgeType } from "../../server/service-map/types.ts";
import { focusGraph } from "./graph-view.ts";

/** Live: the bucket table is written about every second; the map follows every few. */
const POLL_MS = 3_000;

function WindowPicker({ value, onChange }: { value: string; onChange: (w: (typeof WINDOWS)[number]) => void }) {
  return (
    <div role="group" aria-label="Time window" className="flex overflow-hidden rounded-md border border-line-strong">
      {WINDOWS.map((w) => (
        <button key={w} type="button" aria-pressed={w === value} onClick={() => onChange(w)}
          className={`px-2 py-0.5 text-[12px] ${w === value ? "bg-selected font-medium text-fg" : "text-muted hover:bg-hover"}`}>
          {w}
        </button>
      ))}
    </div>
  );
}

const LEGEND: [EdgeType, string][] = [["sync", ""], ["event", "7 5"], ["command", "1.5 5"], ["request_reply", ""]];

function Legend() {
  return (
    <ul aria-label="Edge types" className="flex flex-wrap items-center gap-3 text-[11.5px] text-muted">
      {LEGEND.map(([type, dash]) => (
        <li key={type} className="flex items-center gap-1.5">
          <svg width="28" height="8" aria-hidden>
            {type === "request_reply" ? (
              <>
                <line x1="0" y1="4" x2="28" y2="4" stroke="var(--fg-muted)" strokeWidth="5" />
                <line x1="0" y1="4" x2="28" y2="4" stroke="var(--bg-subtle)" strokeWidth="1.6" />
              </>
            ) : (
              <line x1="0" y1="4" x2="28" y2="4" stroke="var(--fg-muted)" strokeWidth="1.8" strokeDasharray={dash || undefined}
                strokeLinecap={type === "command" ? "round" : "butt"} />
            )}
          </svg>
          {EDGE_TYPE_LABEL[type]}
        </li>
      ))}
    </ul>
  );
}

function OwnTrafficToggle({ checked, hidden, onChange }: { checked: boolean; hidden: number; onChange: (v: boolean) => void }) {
  return (
    <label className="flex items-center gap-1.5 text-[12px] text-muted" title="The dashboard's own reads and actions (it observes the shop; it is not part of it)">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="map-own-toggle" />
      Dashboard&apos;s own traffic{!checked && hidden > 0 ? ` (${hidden} hidden)` : ""}
    </label>
  );
}

function Chip({ label, onClear, testId, clearLabel }: { label: string; onClear: () => void; testId: string; clearLabel: string }) {
  return (
    <span data-testid={testId} className="flex max-w-[260px] items-center gap-1 rounded-full border border-accent/50 bg-selected px-2 py-0.5 text-[12px]">
      <span className="truncate" title={label}>{label}</span>
      <button type="button" onClick={onClear} aria-label={clearLabel} className="text-muted hover:text-fg">✕</button>
    </span>
  );
}

/** /map: services and queues with typed edges over a time window, live, from the bucket table. */
export function MapView() {
  const trpc = useTRPC();
  const { params, setParams } = useMapParams();
  const input = { window: params.window, showOwn: params.showOwn, expand: params.expand.filter((id) => id.startsWith("queue:")) };
  const query = useQuery(trpc.serviceMap.graph.queryOptions(input, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }));
  const fullGraph = query.data;
  const focused = fullGraph && params.focus ? focusGraph(fullGraph, params.focus) : null;
  const graph = focused ?? fullGraph;
  const expanded = useMemo(() => new Set(params.expand), [params.expand]);
  const { layout, isCurrent, error: layoutError } = useLayout(graph, expanded);
  const select = (id: string | undefined) => setParams({ select: id });
  const toggleExpand = useCallback(
    (id: string) => setParams({ expand: expanded.has(id) ? params.expand.filter((e) => e !== id) : [...params.expand, id] }),
    [expanded, params.expand, setParams],
  );
  const focusName = params.focus ? parseNodeId(params.focus).name : undefined;

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2">
        <h1 className="text-[15px] font-semibold">Service map</h1>
        <span className="text-muted" aria-live="polite" data-testid="map-summary">
          {graph ? `${graph.nodes.length} nodes · ${graph.edges.length} edges · live` : ""}
        </span>
        <WindowPicker value={params.window} onChange={(w) => setParams({ window: w })} />
        <OwnTrafficToggle checked={params.showOwn} hidden={fullGraph?.hiddenOwnEdges ?? 0} onChange={(v) => setParams({ showOwn: v })} />
        {focusName && (
          <Chip testId="map-focus" label={`Focus: ${focusName}${fullGraph && !focused ? " (no traffic in this window)" : ""}`}
            clearLabel="Show the whole map" onClear={() => setParams({ focus: undefined })} />
        )}
        {params.expand.map((id) => (
          <Chip key={id} testId="map-expanded" label={`Open: ${parseNodeId(id).name}`} clearLabel={`Close ${parseNodeId(id).name}`} onClear={() => toggleExpand(id)} />
        ))}
        <div className="ml-auto"><Legend /></div>
      </div>
      <div className="flex min-h-0 flex-1">
        <div className="relative min-w-0 flex-1" data-testid="service-map">
          {query.isPending ? (
            <div className="p-4 text-muted">Loading the map…</div>
          ) : query.isError && !graph ? (
            <StatePanel title="Could not load the service map" tone="danger">{errorMessageOf(query.error)}</StatePanel>
          ) : graph && graph.edges.length === 0 ? (
            <StatePanel title="No traffic in this window" testId="map-empty">
              Place an order, or pick a longer window. The map is built from the spans the collector receives.
            </StatePanel>
          ) : layoutError ? (
            <StatePanel title="Could not lay out the map" tone="danger">{layoutError}</StatePanel>
          ) : graph && layout ? (
            <ReactFlowProvider>
              <MapCanvas graph={graph} layout={layout} select={params.select} focus={focused ? params.focus : undefined}
                expanded={expanded} fitKey={isCurrent ? `${params.window}|${params.focus ?? ""}|${params.showOwn}` : null}
                onSelect={select} onToggleExpand={toggleExpand} />
            </ReactFlowProvider>
          ) : (
            <div className="p-4 text-muted">Laying out…</div>
          )}
        </div>
        {fullGraph && params.select && (
          <SelectionPanel graph={fullGraph} select={params.select} focus={params.focus} onClose={() => select(undefined)}
            onFocus={(id) => setParams({ focus: id })} />
        )}
      </div>
    </div>
  );
}
