"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { bestIndex, type CompareRow } from "../../server/compare/compare.ts";
import { withoutExternalLanes } from "../lib/flow-filter.ts";
import { formatDuration, shortId } from "../lib/format.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { DURATIONS } from "../../server/trace/durations.ts";
import { MiniFlow } from "./mini-flow.tsx";
import { StructuralDiff } from "./structural-diff.tsx";

const list = (value: string | null) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : []);

type Metric = { label: string; value: (r: CompareRow) => string; best?: (r: CompareRow) => number | null; hint?: string };

const METRICS: Metric[] = [
  { label: "Outcome", value: (r) => r.outcome },
  {
    label: DURATIONS.orderTime.label,
    value: (r) => (r.orderTimeNs !== null ? formatDuration(r.orderTimeNs) : r.orderId ? "pending" : "no order"),
    best: (r) => r.orderTimeNs,
    hint: DURATIONS.orderTime.definition,
  },
  { label: DURATIONS.responseTime.label, value: (r) => (r.responseTimeNs === null ? "–" : formatDuration(r.responseTimeNs)), best: (r) => r.responseTimeNs, hint: DURATIONS.responseTime.definition },
  { label: DURATIONS.traceDuration.label, value: (r) => formatDuration(r.traceDurationNs), best: (r) => r.traceDurationNs, hint: DURATIONS.traceDuration.definition },
  { label: "Hops", value: (r) => String(r.hops), best: (r) => r.hops, hint: "calls and messages between two services" },
  { label: "Sync calls", value: (r) => String(r.syncCalls), hint: "calls between two services (database and cache calls left out)" },
  { label: "Async messages", value: (r) => String(r.asyncMessages) },
  { label: DURATIONS.syncTime.label, value: (r) => formatDuration(r.syncNs), hint: DURATIONS.syncTime.definition },
  { label: DURATIONS.asyncTime.label, value: (r) => formatDuration(r.asyncNs), hint: DURATIONS.asyncTime.definition },
  { label: "Spans", value: (r) => String(r.spanCount), best: (r) => r.spanCount },
  { label: "Services", value: (r) => String(r.serviceCount) },
  { label: "Error spans", value: (r) => String(r.errorCount) },
];

/** Columns = the compared orders/traces; rows = figures; the best value per row is marked. */
export function CompareView() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const orders = list(params.get("orders"));
  const traces = list(params.get("traces"));
  const hasInput = orders.length + traces.length > 0;
  const query = useQuery(
    trpc.flows.compare.queryOptions(
      { orders: orders.length ? orders : undefined, traces: traces.length ? traces : undefined },
      {
        enabled: hasInput,
        retry: false,
        // Choreography and saga orders finish after placing: follow them until every one has.
        refetchInterval: (q) => (q.state.data && (q.state.data.missing.length > 0 || q.state.data.rows.some((r) => r.outcome === "PENDING" || r.outcome === "CONFIRMED")) ? 1_500 : false),
      },
    ),
  );

  if (!hasInput) {
    return (
      <StatePanel title="Nothing to compare">
        Use <span className="font-mono">?orders=id,id</span> or <span className="font-mono">?traces=id,id</span>, or “Place in every style &amp; compare” on the{" "}
        <Link href="/orders" className="text-accent underline">
          Orders
        </Link>{" "}
        page.
      </StatePanel>
    );
  }
  if (query.isPending) return <div className="p-4 text-muted">Loading comparison…</div>;
  if (query.isError) {
    return (
      <StatePanel title="Could not compare" tone="danger">
        {errorMessageOf(query.error)}
      </StatePanel>
    );
  }
  const { rows, flows, missing } = query.data;
  const best = new Map(METRICS.filter((m) => m.best).map((m) => [m.label, bestIndex(rows, m.best!)]));
  return (
    <div className="h-full overflow-auto" data-testid="compare-view">
      <div className="border-b border-line px-4 py-2.5">
        <h1 className="text-[15px] font-semibold">Compare {rows.length} flows</h1>
        <p className="mt-1 max-w-4xl text-[12px] text-muted">
          Hover a figure&apos;s name for its definition. Order time starts once the order service has created the order and ends at its terminal
          status, so it leaves out the request around it: sync time (the caller&apos;s whole call included) and response time can be longer.
        </p>
        {missing.length > 0 && <p className="mt-1 text-[12px] text-warn">Not stored yet: {missing.map((m) => shortId(m)).join(", ")} — still looking…</p>}
      </div>
      <table className="m-4 border-separate border-spacing-0 rounded-md border border-line" data-testid="compare-table">
        <thead>
          <tr>
            <th className="border-b border-line bg-subtle px-3 py-1.5 text-left font-medium text-muted" />
            {rows.map((r) => (
              <th key={r.traceId} className="min-w-[260px] border-b border-l border-line bg-subtle px-3 py-1.5 text-left" data-testid="compare-column" data-style={r.style ?? ""}>
                <div className="text-[13px] font-semibold">{r.style ?? "trace"}</div>
                <div className="font-mono text-[11px] font-normal text-muted">{r.orderId ? `order ${shortId(r.orderId)}` : shortId(r.traceId)}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="[&_td]:border-b [&_td]:border-line [&_td]:px-3 [&_td]:py-1.5">
          {METRICS.map((m) => (
            <tr key={m.label}>
              <td className={`whitespace-nowrap text-muted ${m.hint ? "cursor-help underline decoration-dotted underline-offset-2" : ""}`} title={m.hint}>
                {m.label}
              </td>
              {rows.map((r, i) => (
                <td key={r.traceId} className={`border-l border-line tabular-nums ${best.get(m.label) === i && rows.length > 1 ? "font-semibold text-ok" : ""}`} data-metric={m.label}>
                  {m.label === "Outcome" ? <StatusBadge status={r.outcome} /> : m.value(r)}
                  {m.label === DURATIONS.syncTime.label && <TimeSplit row={r} />}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <td className="align-top text-muted">Flow</td>
            {flows.map((f) => (
              <td key={f.traceId} className="border-l border-line align-top">
                <Link href={`/traces/${f.traceId}/flow`} className="block rounded hover:bg-hover" title="Open the full flow" data-testid="compare-flow-link">
                  <MiniFlow flow={withoutExternalLanes(f)} />
                  <span className="text-[12px] text-accent">Open flow →</span>
                </Link>
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      {rows.length >= 2 && rows.length <= 4 && (
        <StructuralDiff traceIds={rows.map((r) => r.traceId)} labels={rows.map((r) => r.style ?? shortId(r.traceId))} isSettled={missing.length === 0 && !rows.some((r) => r.outcome === "PENDING" || r.outcome === "CONFIRMED")} />
      )}
    </div>
  );
}

/** Sync vs async share of the wall time, as one stacked bar. */
function TimeSplit({ row }: { row: CompareRow }) {
  const total = Math.max(1, row.syncNs + row.asyncNs);
  return (
    <div className="mt-1 flex h-1.5 w-40 overflow-hidden rounded bg-hover" aria-hidden>
      <span style={{ width: `${(row.syncNs / total) * 100}%`, background: "var(--fg-muted)" }} />
      <span style={{ width: `${(row.asyncNs / total) * 100}%`, background: "var(--accent)" }} />
    </div>
  );
}
