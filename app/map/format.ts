import type { EdgeType, MapEdge } from "../../server/service-map/types.ts";

/** Human names of the edge types (legend, panel, aria labels). */
export const EDGE_TYPE_LABEL: Record<EdgeType, string> = {
  sync: "sync call",
  event: "published event",
  command: "queued command",
  request_reply: "request/reply",
};

export function formatRate(perSec: number): string {
  if (perSec === 0) return "0/s";
  if (perSec >= 10) return `${Math.round(perSec)}/s`;
  if (perSec >= 0.1) return `${perSec.toFixed(1)}/s`;
  return `${(perSec * 60).toFixed(perSec * 60 >= 10 ? 0 : 1)}/min`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "–";
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return `${ms >= 10 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

export function formatPercent(rate: number): string {
  if (rate === 0) return "0%";
  const pct = rate * 100;
  return `${pct >= 10 ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** The short label drawn on an edge: rate · errors · p95. */
export function edgeLabel(edge: MapEdge): string {
  const parts = [formatRate(edge.ratePerSec)];
  if (edge.errors > 0) parts.push(`${formatPercent(edge.errorRate)} err`);
  parts.push(`p95 ${formatMs(edge.p95Ms)}`);
  return parts.join(" · ");
}
