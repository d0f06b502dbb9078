"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { withoutExternalLanes } from "../../../lib/flow-filter.ts";
import type { Flow } from "../../../../server/flow/types.ts";
import { formatDuration, nsToMs } from "../../../lib/format.ts";
import { StatePanel } from "../../../components/state-panel.tsx";
import { errorCodeOf, errorMessageOf } from "../../../lib/errors.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { FlowDiagram } from "./flow-diagram.tsx";
import { DURATIONS } from "../../../../server/trace/durations.ts";

/** A trace is polled while young: its async consumers keep adding arrows for a while. */
const LIVE_WINDOW_MS = 60_000;

/** One trace as a sequence diagram, with its figures and request/reply pairs. */
export function FlowView({ traceId }: { traceId: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.flows.get.queryOptions(
      { traceId },
      {
        retry: false,
        refetchInterval: (q) => (q.state.data && Date.now() - nsToMs(q.state.data.startNs) < LIVE_WINDOW_MS ? 1_500 : false),
      },
    ),
  );
  const [showInfra, setShowInfra] = useState(false);
  const shown = useMemo(() => (query.data && !showInfra ? withoutExternalLanes(query.data) : query.data), [query.data, showInfra]);
  if (query.isPending) return <div className="p-4 text-muted">Loading flow…</div>;
  if (!query.data) {
    const isMissing = errorCodeOf(query.error) === "NOT_FOUND";
    return (
      <StatePanel title={isMissing ? "Trace not found" : "Could not load this flow"} tone="danger" testId="flow-error">
        {isMissing ? `No spans are stored for trace ${traceId}.` : errorMessageOf(query.error)}{" "}
        <Link href="/traces" className="text-accent underline">
          Back to traces
        </Link>
      </StatePanel>
    );
  }
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="flow-view">
      <FlowHeader flow={query.data} />
      <label className="flex items-center gap-2 border-b border-line px-4 py-1.5 text-[12px] text-muted">
        <input type="checkbox" checked={showInfra} onChange={(e) => setShowInfra(e.target.checked)} data-testid="flow-show-infra" />
        Show database, cache and other untraced calls ({query.data.lanes.filter((l) => l.kind === "external").length} lanes)
        <span className="ml-auto">solid = sync call · dotted = return · dashed = async message · red = error · ⇄ = request/reply pair</span>
      </label>
      <FlowDiagram flow={shown!} />
    </div>
  );
}

/** Tabs between the waterfall and the flow of one trace. */
export function TraceTabs({ traceId, active }: { traceId: string; active: "waterfall" | "flow" | "stats" | "flame" }) {
  const tab = (href: string, label: string, isActive: boolean) => (
    <Link href={href} aria-current={isActive ? "page" : undefined} className={`rounded px-2 py-0.5 text-[12px] ${isActive ? "bg-selected font-medium" : "text-muted hover:bg-hover hover:text-fg"}`}>
      {label}
    </Link>
  );
  return (
    <nav aria-label="Trace views" className="flex gap-1">
      {tab(`/traces/${traceId}`, "Waterfall", active === "waterfall")}
      {tab(`/traces/${traceId}/flow`, "Flow", active === "flow")}
      {tab(`/traces/${traceId}/stats`, "Statistics", active === "stats")}
      {tab(`/traces/${traceId}/flame`, "Flame graph", active === "flame")}
    </nav>
  );
}

function FlowHeader({ flow }: { flow: Flow }) {
  const s = flow.stats;
  const facts: [string, string][] = [
    [DURATIONS.traceDuration.label, formatDuration(s.durationNs)],
    ["Hops", String(s.hops)],
    ["Sync calls", String(s.syncCalls)],
    ["Async messages", String(s.asyncMessages)],
    [DURATIONS.syncTime.label, formatDuration(s.syncNs)],
    [DURATIONS.asyncTime.label, formatDuration(s.asyncNs)],
    ["Spans", String(s.spanCount)],
  ];
  return (
    <div className="border-b border-line px-4 py-2.5">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-[15px] font-semibold">Flow</h1>
        <span className="font-mono text-[12px] text-muted">{flow.traceId}</span>
        <TraceTabs traceId={flow.traceId} active="flow" />
      </div>
      <dl className="mt-1.5 flex flex-wrap items-center gap-x-5 gap-y-1 text-[12px]" data-testid="flow-stats">
        {facts.map(([label, value]) => (
          <div key={label} className="flex gap-1.5" title={Object.values(DURATIONS).find((d) => d.label === label)?.definition}>
            <dt className="text-muted">{label}</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
        {s.errorCount > 0 && <span className="rounded bg-danger-bg px-1.5 text-danger">{s.errorCount} error span(s)</span>}
      </dl>
      {flow.pairs.length > 0 && (
        <div className="mt-1.5 flex flex-wrap gap-2 text-[12px]" data-testid="flow-pairs">
          {flow.pairs.map((p) => (
            <span key={p.conversationId} className="rounded border border-line px-1.5 py-0.5" title="Request and reply joined by their conversation id">
              ⇄ request/reply <span className="font-mono">{p.conversationId.slice(0, 12)}</span>
              {p.roundTripNs !== null ? ` · round trip ${formatDuration(p.roundTripNs)}` : p.replyKey ? "" : " · no reply in this trace"}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
