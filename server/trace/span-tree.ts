import type { StoredSpan } from "../store/types.ts";
import { adjustClockSkew } from "./clock-skew.ts";
import { breakCycles, compareNodes, linkSpans, type SpanNode } from "./graph.ts";
import type { SpanRow, SpanTree } from "./types.ts";

export type { SpanRow, SpanTree, ClockAdjustment, TreeIssues } from "./types.ts";

/** Depth-first pre-order walk with children sorted by adjusted start; O(n log n) overall. */
function flatten(roots: SpanNode[]): SpanRow[] {
  const rows: SpanRow[] = [];
  const stack: { node: SpanNode; depth: number; parentIndex: number }[] = [];
  const pushSorted = (nodes: SpanNode[], depth: number, parentIndex: number) => {
    const sorted = [...nodes].sort(compareNodes);
    // Reverse so the earliest child is popped, and therefore emitted, first.
    for (let i = sorted.length - 1; i >= 0; i--) stack.push({ node: sorted[i]!, depth, parentIndex });
  };
  pushSorted(roots, 0, -1);
  while (stack.length > 0) {
    const { node, depth, parentIndex } = stack.pop()!;
    const index = rows.length;
    rows.push(toRow(node, depth, parentIndex));
    pushSorted(node.children, depth + 1, index);
  }
  return rows;
}

function toRow(node: SpanNode, depth: number, parentIndex: number): SpanRow {
  return {
    span: node.span,
    key: node.key,
    depth,
    parentIndex,
    childCount: node.children.length,
    descendantCount: 0,
    offsetNs: node.startNs + node.skewNs,
    durationNs: node.durationNs,
    skewNs: node.skewNs,
    missingParentId: node.missingParentId,
    isDuplicate: node.isDuplicate,
    isCycleBreak: node.isCycleBreak,
  };
}

/** In pre-order, a subtree ends where depth returns to the row's own depth or above. */
function countDescendants(rows: SpanRow[]): void {
  const open: number[] = [];
  rows.forEach((row, index) => {
    while (open.length > 0 && rows[open[open.length - 1]!]!.depth >= row.depth) {
      const done = open.pop()!;
      rows[done]!.descendantCount = index - done - 1;
    }
    open.push(index);
  });
  for (const done of open) rows[done]!.descendantCount = rows.length - done - 1;
}

/** Shifts offsets so the earliest adjusted start is 0 and returns the trace's start and length. */
function normalise(rows: SpanRow[], baseNs: bigint) {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    min = Math.min(min, row.offsetNs);
    max = Math.max(max, row.offsetNs + row.durationNs);
  }
  if (rows.length === 0) return { traceStartNs: baseNs.toString(), durationNs: 0 };
  for (const row of rows) row.offsetNs -= min;
  return { traceStartNs: (baseNs + BigInt(min)).toString(), durationNs: max - min };
}

/**
 * Rebuilds a trace's span tree for the waterfall: rows in depth-first order, children by start
 * time, times relative to the trace start and corrected for clock skew between processes.
 * Tolerates unsorted input, several roots, orphans (shown as flagged roots), duplicate span ids
 * and parent cycles. O(n log n) in the number of spans.
 */
export function buildSpanTree(spans: readonly StoredSpan[]): SpanTree {
  const graph = linkSpans(spans);
  const cycleCount = breakCycles(graph);
  const adjustments = adjustClockSkew(graph.roots);
  const rows = flatten(graph.roots);
  countDescendants(rows);
  const { traceStartNs, durationNs } = normalise(rows, graph.baseNs);
  const services = [...new Set(rows.map((r) => r.span.serviceName))];
  return {
    rows,
    traceStartNs,
    durationNs,
    services,
    adjustments,
    issues: {
      orphanCount: graph.orphanCount,
      duplicateCount: graph.duplicateCount,
      cycleCount,
      invalidCount: graph.invalidCount,
    },
  };
}
