/**
 * Pure: the service map of a time window from edge bucket rows (telemetry.edge_minutes, summed or
 * not). Rows with the same (from, to, type) are added up; nodes are every endpoint of an edge.
 */
import { addHistogram, emptyHistogram, histogramQuantile } from "./latency.ts";
import { groupRows, type GroupOptions } from "./group-nodes.ts";
import { parseNodeId, type EdgeRow, type MapEdge, type MapInstance, type MapNode, type ServiceGraph } from "./types.ts";

/** What to show besides the rows: grouping (see group-nodes.ts) and each service's instances. */
export type GraphOptions = GroupOptions & {
  instances?: readonly { service: string; instanceId: string; requests: number; errors: number; avgMs: number }[];
};

function sumRows(rows: readonly EdgeRow[]): EdgeRow[] {
  const byKey = new Map<string, EdgeRow>();
  for (const r of rows) {
    const key = `${r.from}\u0000${r.to}\u0000${r.type}`;
    const acc = byKey.get(key);
    if (!acc) {
      const hist = emptyHistogram();
      addHistogram(hist, r.latencyHist);
      byKey.set(key, { ...r, latencyHist: hist });
      continue;
    }
    acc.calls += r.calls;
    acc.errors += r.errors;
    acc.durationSumUs += r.durationSumUs;
    acc.durationMaxUs = Math.max(acc.durationMaxUs, r.durationMaxUs);
    addHistogram(acc.latencyHist, r.latencyHist);
  }
  return [...byKey.values()];
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function toEdge(r: EdgeRow, seconds: number): MapEdge {
  const maxMs = r.durationMaxUs / 1000;
  return {
    id: `${r.from}->${r.to}:${r.type}`,
    from: r.from,
    to: r.to,
    type: r.type,
    calls: r.calls,
    errors: r.errors,
    ratePerSec: round(r.calls / seconds, 3),
    errorRate: r.calls > 0 ? round(r.errors / r.calls, 4) : 0,
    avgMs: r.calls > 0 ? round(r.durationSumUs / r.calls / 1000, 2) : 0,
    maxMs: round(maxMs, 2),
    p50Ms: histogramQuantile(r.latencyHist, 0.5, maxMs),
    p95Ms: histogramQuantile(r.latencyHist, 0.95, maxMs),
  };
}

function nodesOf(edges: readonly MapEdge[]): MapNode[] {
  const nodes = new Map<string, MapNode>();
  const node = (id: string) => {
    let n = nodes.get(id);
    if (!n) {
      const { kind, name } = parseNodeId(id);
      n = { id, kind, name, inCalls: 0, inErrors: 0, outCalls: 0 };
      nodes.set(id, n);
    }
    return n;
  };
  for (const e of edges) {
    node(e.from).outCalls += e.calls;
    const to = node(e.to);
    to.inCalls += e.calls;
    to.inErrors += e.errors;
  }
  return [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function instancesByService(list: GraphOptions["instances"]): Map<string, MapInstance[]> {
  const out = new Map<string, MapInstance[]>();
  for (const i of list ?? []) {
    const instance = { id: i.instanceId || "(no instance id)", requests: i.requests, errors: i.errors, avgMs: round(i.avgMs, 2) };
    out.set(i.service, [...(out.get(i.service) ?? []), instance]);
  }
  for (const instances of out.values()) instances.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  return out;
}

/**
 * The graph of window [fromMs, toMs): typed edges with rate, error rate and latency; without
 * the dashboard's own traffic and with queues grouped by topic unless `opts` says otherwise.
 */
export function buildServiceGraph(rows: readonly EdgeRow[], fromMs: number, toMs: number, opts: GraphOptions = {}): ServiceGraph {
  const seconds = Math.max(1, (toMs - fromMs) / 1000);
  const grouped = groupRows(rows, opts);
  const edges = sumRows(grouped.rows)
    .filter((r) => r.calls > 0)
    .map((r) => toEdge(r, seconds))
    .sort((a, b) => a.id.localeCompare(b.id));
  const instances = instancesByService(opts.instances);
  const nodes = nodesOf(edges).map((n) => {
    const members = grouped.members.get(n.id);
    const own = n.kind === "service" ? instances.get(n.name) : undefined;
    return { ...n, ...(members && { members }), ...(own && { instances: own }) };
  });
  return { fromMs, toMs, nodes, edges, ...(grouped.hiddenOwnEdges > 0 && { hiddenOwnEdges: grouped.hiddenOwnEdges }) };
}
