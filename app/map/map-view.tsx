"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { EDGE_TYPE_LABEL } from "./format.ts";
import { MapCanvas } from "./map-canvas.tsx";
import { SelectionPanel } from "./selection-panel.tsx";
import { useLayout } from "./use-layout.ts";
import { useMapParams, WINDOWS } from "./use-map-params.ts";
import type { EdgeType } from "../../server/service-map/types.ts";

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

/** /map: services and queues with typed edges over a time window, live, from the bucket table. */
export function MapView() {
  const trpc = useTRPC();
  const { params, setParams } = useMapParams();
  const query = useQuery(trpc.serviceMap.graph.queryOptions({ window: params.window }, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }));
  const graph = query.data;
  const { layout, error: layoutError } = useLayout(graph);
  const select = (id: string | undefined) => setParams({ select: id });

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2">
        <h1 className="text-[15px] font-semibold">Service map</h1>
        <span className="text-muted" aria-live="polite" data-testid="map-summary">
          {graph ? `${graph.nodes.length} nodes · ${graph.edges.length} edges · live` : ""}
        </span>
        <WindowPicker value={params.window} onChange={(w) => setParams({ window: w })} />
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
              <MapCanvas graph={graph} layout={layout} select={params.select} onSelect={select} />
            </ReactFlowProvider>
          ) : (
            <div className="p-4 text-muted">Laying out…</div>
          )}
        </div>
        {graph && params.select && <SelectionPanel graph={graph} select={params.select} onClose={() => select(undefined)} />}
      </div>
    </div>
  );
}
