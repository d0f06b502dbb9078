/**
 * A trace's spans merged by stack for the flame graph view: every span whose chain of
 * `service: operation` frames from its root is the same lands in one node. Self time comes from
 * statistics.ts's {@link selfTimes} (one definition for the whole dashboard).
 */
import { selfTimes } from "./statistics.ts";
import type { SpanRow } from "./types.ts";

/** Frames of a stack are joined with ";" as in Brendan Gregg's folded stacks (the `?focus=` value). */
export const FRAME_SEPARATOR = ";";

/** The frame a span contributes to a stack. */
export function frameOf(row: SpanRow): string {
  return `${row.span.serviceName}: ${row.span.name}`;
}

export type FlameNode = {
  /** Frames from the top down, joined by {@link FRAME_SEPARATOR}; "" for the whole trace. */
  path: string;
  /** Service of the frame ("" for the whole trace). */
  service: string;
  operation: string;
  /** 0 for the whole trace, 1 for the trace's roots, ... */
  depth: number;
  /** Index of the parent node, -1 for the whole trace. */
  parent: number;
  /** Nodes of this node's subtree are `nodes[index + 1 .. end)` (pre-order). */
  end: number;
  /** Spans merged into the node. */
  count: number;
  /** Sum of the spans' durations (ns). */
  totalNs: number;
  /** Sum of the spans' self times (ns): see {@link selfTimes}. */
  selfNs: number;
  errors: number;
  /** Spans of this node whose parent is not in the trace (they start a stack of their own). */
  orphans: number;
  /**
   * Width in the graph (ns): the node's total time, or the sum of its children's widths when
   * those add up to more (children that ran in parallel, or async consumers outliving it), so a
   * child is always drawn under its parent.
   */
  widthNs: number;
  /** Left edge in the graph (ns from the left of the whole trace). */
  xNs: number;
};

export type FlameGraph = {
  /** Pre-order; `nodes[0]` is the whole trace, its children the trace's roots (several when the trace has orphans or several roots). */
  nodes: FlameNode[];
  /** Node index by path. */
  byPath: Map<string, number>;
  maxDepth: number;
};

type Draft = Omit<FlameNode, "end" | "widthNs" | "xNs"> & { children: number[]; firstNs: number };

function mergeRows(rows: readonly SpanRow[]): Draft[] {
  const self = selfTimes(rows);
  const drafts: Draft[] = [{ path: "", service: "", operation: "all spans", depth: 0, parent: -1, count: 0, totalNs: 0, selfNs: 0, errors: 0, orphans: 0, children: [], firstNs: 0 }];
  const childByFrame = new Map<string, number>();
  const nodeOfRow = new Array<number>(rows.length);
  rows.forEach((row, i) => {
    // Rows come parents first (buildSpanTree's pre-order), so the parent's node is known.
    const parent = row.parentIndex >= 0 ? nodeOfRow[row.parentIndex]! : 0;
    const frame = frameOf(row);
    const key = `${parent}\u0000${frame}`;
    let id = childByFrame.get(key);
    if (id === undefined) {
      const p = drafts[parent]!;
      id = drafts.length;
      drafts.push({
        path: p.path === "" ? frame : `${p.path}${FRAME_SEPARATOR}${frame}`,
        service: row.span.serviceName,
        operation: row.span.name,
        depth: p.depth + 1,
        parent,
        count: 0, totalNs: 0, selfNs: 0, errors: 0, orphans: 0,
        children: [],
        firstNs: row.offsetNs,
      });
      p.children.push(id);
      childByFrame.set(key, id);
    }
    nodeOfRow[i] = id;
    const node = drafts[id]!;
    node.count += 1;
    node.totalNs += row.durationNs;
    node.selfNs += self[i]!;
    node.firstNs = Math.min(node.firstNs, row.offsetNs);
    if (row.span.status.code === "ERROR") node.errors += 1;
    if (row.missingParentId !== null) node.orphans += 1;
  });
  return drafts;
}

/**
 * Merges a trace's rows (as buildSpanTree returns them: parents before children) by stack.
 * Siblings are ordered by their first start, so the graph reads left to right like the
 * waterfall. Several roots, orphans (a root of their own, counted in `orphans`) and repeated
 * stacks are all handled; O(n log n) in the number of rows.
 */
export function buildFlameGraph(rows: readonly SpanRow[]): FlameGraph {
  const drafts = mergeRows(rows);
  const top = drafts[0]!;
  top.count = rows.length;
  for (const id of top.children) top.totalNs += drafts[id]!.totalNs;
  top.errors = rows.filter((r) => r.span.status.code === "ERROR").length;
  top.orphans = rows.filter((r) => r.missingParentId !== null).length;

  // Children were created after their parent: widths and subtree sizes bottom-up, in reverse creation order.
  const width = new Array<number>(drafts.length).fill(0);
  const size = new Array<number>(drafts.length).fill(1);
  for (let id = drafts.length - 1; id >= 0; id--) {
    const d = drafts[id]!;
    let sum = 0;
    for (const c of d.children) {
      sum += width[c]!;
      size[id]! += size[c]!;
    }
    width[id] = Math.max(d.totalNs, sum);
  }

  // Pre-order with an explicit stack: a trace may nest thousands of levels deep.
  const nodes: FlameNode[] = [];
  const byPath = new Map<string, number>();
  let maxDepth = 0;
  const stack: { id: number; parent: number; xNs: number }[] = [{ id: 0, parent: -1, xNs: 0 }];
  while (stack.length > 0) {
    const { id, parent, xNs } = stack.pop()!;
    const { children, firstNs: _, ...fields } = drafts[id]!;
    const index = nodes.length;
    nodes.push({ ...fields, parent, end: index + size[id]!, widthNs: width[id]!, xNs });
    byPath.set(fields.path, index);
    maxDepth = Math.max(maxDepth, fields.depth);
    const sorted = [...children].sort((a, b) => drafts[a]!.firstNs - drafts[b]!.firstNs || drafts[a]!.path.localeCompare(drafts[b]!.path));
    const placed: { id: number; parent: number; xNs: number }[] = [];
    let x = xNs;
    for (const c of sorted) {
      placed.push({ id: c, parent: index, xNs: x });
      x += width[c]!;
    }
    // Reversed so the leftmost child is popped, and therefore numbered, first.
    for (let i = placed.length - 1; i >= 0; i--) stack.push(placed[i]!);
  }
  return { nodes, byPath, maxDepth };
}

/** Indexes of `index` and its ancestors, from the whole trace down. */
export function ancestorsOf(graph: FlameGraph, index: number): number[] {
  const chain: number[] = [];
  for (let i = index; i >= 0; i = graph.nodes[i]!.parent) chain.unshift(i);
  return chain;
}
