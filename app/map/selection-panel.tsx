"use client";
import Link from "next/link";
import type { MapEdge, MapNode, ServiceGraph } from "../../server/service-map/types.ts";
import { EDGE_TYPE_LABEL, formatMs, formatPercent, formatRate } from "./format.ts";
import { parseNodeId } from "../../server/service-map/types.ts";

/** Link to the trace list filtered to one service (the trace list filters by service). */
function TracesLink({ service, label }: { service: string; label?: string }) {
  return (
    <Link href={`/traces?service=${encodeURIComponent(service)}`} className="text-accent hover:underline" data-testid="map-traces-link">
      {label ?? `Traces of ${service}`} →
    </Link>
  );
}

function EdgeFigures({ edge }: { edge: MapEdge }) {
  const rows: [string, string][] = [
    ["calls", `${edge.calls} (${formatRate(edge.ratePerSec)})`],
    ["errors", `${edge.errors} (${formatPercent(edge.errorRate)})`],
    ["p50 / p95", `${formatMs(edge.p50Ms)} / ${formatMs(edge.p95Ms)}`],
    ["avg / max", `${formatMs(edge.avgMs)} / ${formatMs(edge.maxMs)}`],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-[12px]">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted">{k}</dt>
          <dd className={`font-mono ${k === "errors" && edge.errors > 0 ? "text-danger" : ""}`}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const nameOf = (id: string) => parseNodeId(id).name;

/** Services at either end of an edge that have traces to show (queues and peers have none). */
function servicesOf(ids: string[]): string[] {
  return [...new Set(ids.filter((id) => parseNodeId(id).kind === "service").map(nameOf))];
}

function EdgeList({ title, edges, side }: { title: string; edges: MapEdge[]; side: "from" | "to" }) {
  if (edges.length === 0) return null;
  return (
    <section>
      <h3 className="mb-1 text-[11px] font-medium uppercase tracking-wide text-muted">{title}</h3>
      <ul className="flex flex-col gap-1.5">
        {edges.map((e) => (
          <li key={e.id} className="rounded border border-line p-1.5">
            <div className="mb-0.5 flex justify-between gap-2">
              <span className="truncate font-medium">{nameOf(e[side])}</span>
              <span className="shrink-0 text-muted">{EDGE_TYPE_LABEL[e.type]}</span>
            </div>
            <EdgeFigures edge={e} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function InstanceTable({ node }: { node: MapNode }) {
  if (!node.instances?.length) return null;
  return (
    <section>
      <h3 className="mb-1 text-[11px] font-medium uppercase tracking-wide text-muted">Instances (requests served)</h3>
      <table className="w-full text-[12px]" data-testid="map-selection-instances">
        <tbody>
          {node.instances.map((i) => (
            <tr key={i.id} className="border-b border-line last:border-0">
              <td className="max-w-[140px] truncate py-0.5 font-mono" title={i.id}>{i.id}</td>
              <td className="py-0.5 text-right font-mono">{i.requests}</td>
              <td className={`py-0.5 text-right font-mono ${i.errors > 0 ? "text-danger" : "text-muted"}`}>{formatPercent(i.errors / Math.max(1, i.requests))}</td>
              <td className="py-0.5 text-right font-mono text-muted">{formatMs(i.avgMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Members({ node }: { node: MapNode }) {
  if (!node.members || node.members.length < 2) return null;
  return (
    <section>
      <h3 className="mb-1 text-[11px] font-medium uppercase tracking-wide text-muted">Queues of this topic</h3>
      <ul className="flex flex-col gap-0.5 font-mono text-[12px]">
        {node.members.map((m) => <li key={m} className="truncate" title={m}>{m}</li>)}
      </ul>
    </section>
  );
}

function NodeDetails({ node, graph, isFocus, onFocus }: { node: MapNode; graph: ServiceGraph; isFocus: boolean; onFocus: (id: string | undefined) => void }) {
  const incoming = graph.edges.filter((e) => e.to === node.id);
  const outgoing = graph.edges.filter((e) => e.from === node.id);
  const services = node.kind === "service" ? [node.name] : servicesOf([...incoming.map((e) => e.from), ...outgoing.map((e) => e.to)]);
  return (
    <>
      <div>
        <div className="text-[11px] uppercase tracking-wide text-muted">{node.kind === "peer" ? "external" : node.kind}</div>
        <h2 className="text-[15px] font-semibold break-all">{node.name}</h2>
      </div>
      <button type="button" data-testid="map-focus-button" onClick={() => onFocus(isFocus ? undefined : node.id)}
        className="self-start rounded border border-line-strong px-2 py-0.5 text-[12px] hover:bg-hover">
        {isFocus ? "Show the whole map" : "Focus on its neighbourhood"}
      </button>
      <div className="flex flex-col gap-0.5">
        {services.map((s) => <TracesLink key={s} service={s} label={node.kind === "service" ? undefined : `Traces through ${s}`} />)}
      </div>
      <InstanceTable node={node} />
      <Members node={node} />
      <EdgeList title="Incoming" edges={incoming} side="from" />
      <EdgeList title="Outgoing" edges={outgoing} side="to" />
    </>
  );
}

function EdgeDetails({ edge }: { edge: MapEdge }) {
  return (
    <>
      <div>
        <div className="text-[11px] uppercase tracking-wide text-muted">{EDGE_TYPE_LABEL[edge.type]}</div>
        <h2 className="text-[15px] font-semibold break-all">{nameOf(edge.from)} → {nameOf(edge.to)}</h2>
      </div>
      <EdgeFigures edge={edge} />
      <div className="flex flex-col gap-0.5">
        {servicesOf([edge.from, edge.to]).map((s) => <TracesLink key={s} service={s} />)}
      </div>
    </>
  );
}

/** Details of the selected node or edge, with links to their traces. */
export function SelectionPanel({ graph, select, focus, onClose, onFocus }: {
  graph: ServiceGraph;
  select: string;
  focus?: string;
  onClose: () => void;
  onFocus: (id: string | undefined) => void;
}) {
  const node = graph.nodes.find((n) => n.id === select);
  const edge = node ? undefined : graph.edges.find((e) => e.id === select);
  return (
    <aside data-testid="map-selection" className="flex w-[320px] shrink-0 flex-col gap-3 overflow-auto border-l border-line bg-subtle p-3">
      <button type="button" onClick={onClose} className="self-end rounded px-1.5 text-muted hover:bg-hover hover:text-fg" aria-label="Close details">
        ✕
      </button>
      {node ? <NodeDetails node={node} graph={graph} isFocus={node.id === focus} onFocus={onFocus} /> : edge ? <EdgeDetails edge={edge} /> : (
        <p className="text-muted">Nothing with this id in the current window.</p>
      )}
    </aside>
  );
}
