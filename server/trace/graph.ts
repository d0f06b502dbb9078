import type { StoredSpan } from "../store/types.ts";

/** A span while the tree is being rebuilt. Times are ns relative to the earliest raw start. */
export type SpanNode = {
  span: StoredSpan;
  key: string;
  startNs: number;
  durationNs: number;
  skewNs: number;
  /** Clock identity: spans with the same key share a clock, so one skew applies to all of them. */
  clockKey: string;
  children: SpanNode[];
  missingParentId: string | null;
  isDuplicate: boolean;
  isCycleBreak: boolean;
};

/** The nodes of one trace, linked parent -> children, with the roots found so far. */
export type SpanGraph = {
  nodes: SpanNode[];
  roots: SpanNode[];
  /** Earliest raw start (Unix ns); node times are relative to it. */
  baseNs: bigint;
  invalidCount: number;
  duplicateCount: number;
  orphanCount: number;
};

const DECIMAL = /^\d+$/;

/** Resource attributes that name the machine a span's clock belongs to, most specific first. */
const HOST_KEYS = ["host.id", "host.name", "host.ip", "ip", "hostname"] as const;

/**
 * The clock a span was timed by: its host. Processes of one machine share a clock, so their spans
 * are never shifted against each other (a child that outlasts its parent there is real, not skew).
 * Without host information there is nothing to tell clocks apart: "" (the span keeps its parent's
 * clock, as in Jaeger's adjuster).
 */
export function clockKeyOf(span: Pick<StoredSpan, "resource">): string {
  for (const key of HOST_KEYS) {
    const value = span.resource[key];
    if (typeof value === "string" && value !== "") return `${key}=${value}`;
  }
  return "";
}

/** Parses start/end into bigint, dropping spans whose timestamps are not decimal ns strings. */
function parseTimes(spans: readonly StoredSpan[]) {
  const valid: { span: StoredSpan; start: bigint; end: bigint }[] = [];
  let base: bigint | null = null;
  for (const span of spans) {
    if (!DECIMAL.test(span.startTimeUnixNano) || !DECIMAL.test(span.endTimeUnixNano)) continue;
    const start = BigInt(span.startTimeUnixNano);
    const rawEnd = BigInt(span.endTimeUnixNano);
    // A span that "ends before it starts" is drawn with zero width rather than dropped.
    const end = rawEnd < start ? start : rawEnd;
    valid.push({ span, start, end });
    if (base === null || start < base) base = start;
  }
  return { valid, base: base ?? 0n };
}

/** Creates one node per span; the first span with a given id owns it, later ones are duplicates. */
function createNodes(spans: readonly StoredSpan[]) {
  const { valid, base } = parseTimes(spans);
  const byId = new Map<string, SpanNode>();
  const seen = new Map<string, number>();
  const nodes = valid.map(({ span, start, end }): SpanNode => {
    const count = seen.get(span.spanId) ?? 0;
    seen.set(span.spanId, count + 1);
    const node: SpanNode = {
      span,
      key: count === 0 ? span.spanId : `${span.spanId}#${count + 1}`,
      startNs: Number(start - base),
      durationNs: Number(end - start),
      skewNs: 0,
      clockKey: clockKeyOf(span),
      children: [],
      missingParentId: null,
      isDuplicate: count > 0,
      isCycleBreak: false,
    };
    if (count === 0) byId.set(span.spanId, node);
    return node;
  });
  return { nodes, byId, base, invalidCount: spans.length - valid.length };
}

/** Links every node to its parent; nodes without a usable parent become roots. */
export function linkSpans(spans: readonly StoredSpan[]): SpanGraph {
  const { nodes, byId, base, invalidCount } = createNodes(spans);
  const roots: SpanNode[] = [];
  let orphanCount = 0;
  for (const node of nodes) {
    const parentId = node.span.parentSpanId;
    if (!parentId) {
      roots.push(node);
      continue;
    }
    const parent = byId.get(parentId);
    if (!parent || parent === node) {
      // A self-parent is as useless as a missing one: show the span at the root, flagged.
      node.missingParentId = parentId;
      orphanCount += 1;
      roots.push(node);
      continue;
    }
    parent.children.push(node);
  }
  const duplicateCount = nodes.filter((n) => n.isDuplicate).length;
  return { nodes, roots, baseNs: base, invalidCount, duplicateCount, orphanCount };
}

/** Visits the nodes reachable from `starts` depth-first without recursion (traces can be deep). */
export function markReachable(starts: readonly SpanNode[], reached: Set<SpanNode>): void {
  const stack = [...starts];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (reached.has(node)) continue;
    reached.add(node);
    for (const child of node.children) if (!reached.has(child)) stack.push(child);
  }
}

/**
 * Nodes not reachable from a root sit on parent cycles (A -> B -> A). Each cycle is broken at its
 * earliest span, which becomes a flagged root; returns how many cycles were broken.
 */
export function breakCycles(graph: SpanGraph): number {
  const reached = new Set<SpanNode>();
  markReachable(graph.roots, reached);
  if (reached.size === graph.nodes.length) return 0;
  const stranded = graph.nodes.filter((n) => !reached.has(n)).sort(compareNodes);
  const parentOf = new Map<SpanNode, SpanNode>();
  for (const node of stranded) for (const child of node.children) parentOf.set(child, node);
  let cycles = 0;
  for (const node of stranded) {
    if (reached.has(node)) continue;
    const onCycle = findCycleMember(node, parentOf);
    const parent = parentOf.get(onCycle);
    if (parent) parent.children = parent.children.filter((c) => c !== onCycle);
    onCycle.isCycleBreak = true;
    graph.roots.push(onCycle);
    markReachable([onCycle], reached);
    cycles += 1;
  }
  return cycles;
}

/** Walks up from a stranded node until a node repeats: that node lies on the cycle itself. */
function findCycleMember(start: SpanNode, parentOf: Map<SpanNode, SpanNode>): SpanNode {
  const path = new Set<SpanNode>();
  let current = start;
  for (;;) {
    path.add(current);
    const parent = parentOf.get(current);
    if (!parent || path.has(parent)) return parent ?? current;
    current = parent;
  }
}

/** Display order: earlier start first, then longer first, then id, so ties are deterministic. */
export function compareNodes(a: SpanNode, b: SpanNode): number {
  const startDiff = a.startNs + a.skewNs - (b.startNs + b.skewNs);
  if (startDiff !== 0) return startDiff;
  if (a.durationNs !== b.durationNs) return b.durationNs - a.durationNs;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
