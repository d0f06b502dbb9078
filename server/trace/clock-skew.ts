import type { SpanNode } from "./graph.ts";
import type { ClockAdjustment } from "./types.ts";

type Skew = { clockKey: string; deltaNs: number };

/**
 * How far `child` must move to sit inside `parent`'s window (the parent is already adjusted).
 * Follows Jaeger's clock-skew adjuster: assume network latency splits evenly around the child.
 * Async hops (a CONSUMER after a PRODUCER) may legitimately outlive their parent, so they are
 * only moved when they start before it, which no clock agreement allows.
 */
export function calculateSkew(child: SpanNode, parent: SpanNode): number {
  const parentStart = parent.startNs + parent.skewNs;
  const parentEnd = parentStart + parent.durationNs;
  const childEnd = child.startNs + child.durationNs;
  const isAsync =
    child.span.kind === "CONSUMER" || parent.span.kind === "PRODUCER" || child.durationNs > parent.durationNs;
  if (isAsync) return child.startNs < parentStart ? parentStart - child.startNs : 0;
  if (child.startNs >= parentStart && childEnd <= parentEnd) return 0;
  const latency = (parent.durationNs - child.durationNs) / 2;
  return Math.round(parentStart + latency - child.startNs);
}

function recordAdjustment(byService: Map<string, ClockAdjustment>, node: SpanNode): void {
  const name = node.span.serviceName;
  const entry = byService.get(name);
  if (!entry) {
    byService.set(name, { serviceName: name, minDeltaNs: node.skewNs, maxDeltaNs: node.skewNs, spanCount: 1 });
    return;
  }
  entry.minDeltaNs = Math.min(entry.minDeltaNs, node.skewNs);
  entry.maxDeltaNs = Math.max(entry.maxDeltaNs, node.skewNs);
  entry.spanCount += 1;
}

/**
 * Sets `skewNs` on every node reachable from `roots`, top-down. A span on a different clock (host,
 * see `clockKeyOf`) than its nearest adjusted ancestor gets its own delta; spans on the same clock,
 * or with no host information, inherit it, because one machine's spans are consistent with each
 * other. Returns the per-service corrections.
 */
export function adjustClockSkew(roots: readonly SpanNode[]): ClockAdjustment[] {
  const byService = new Map<string, ClockAdjustment>();
  const stack: { node: SpanNode; parent: SpanNode | null; skew: Skew }[] = roots.map((node) => ({
    node,
    parent: null,
    skew: { clockKey: node.clockKey, deltaNs: 0 },
  }));
  while (stack.length > 0) {
    const { node, parent, skew: inherited } = stack.pop()!;
    const skew =
      parent && node.clockKey !== "" && node.clockKey !== inherited.clockKey
        ? { clockKey: node.clockKey, deltaNs: calculateSkew(node, parent) }
        : inherited;
    node.skewNs = skew.deltaNs;
    if (node.skewNs !== 0) recordAdjustment(byService, node);
    for (const child of node.children) stack.push({ node: child, parent: node, skew });
  }
  return [...byService.values()].sort((a, b) => a.serviceName.localeCompare(b.serviceName));
}
