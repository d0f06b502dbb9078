import { childIndexes } from "./row-children.ts";
import type { SpanRow } from "./types.ts";

/** A stretch of one span that is on the critical path (times relative to the trace start, ns). */
export type CriticalSegment = { rowIndex: number; startNs: number; endNs: number };

/** The chain of spans that decided when the trace ended. */
export type CriticalPath = {
  /** In time order. */
  segments: CriticalSegment[];
  /** Rows the path runs through, including those it only passes (a call whose attempt took all its time). */
  rowIndexes: Set<number>;
  /** Time spent in the segments' spans (ns). */
  activeNs: number;
  /** Time on the path covered by no span: a message waiting in a queue, a gap between calls (ns). */
  waitingNs: number;
  /** From the first root's start to the last span's end (ns): active + waiting. */
  lengthNs: number;
};

/**
 * The critical path, after Jaeger's (jaeger-ui `criticalPath`): walk back from the end. At a span,
 * the child that finished last before the current point is what the span waited for; the span's
 * own time after that child is on the path, then the child's, then the span continues before
 * the child started. As in Jaeger, a synchronous child that overruns its parent (a server span a
 * little longer than its client's call) is clipped to the parent, and a child still running at
 * the current point ran in parallel and is skipped. Differences, so that async hops count:
 * - a span "finishes" when its whole subtree does, asynchronous descendants included (a consumer,
 *   or a span that starts after its parent ended or outlives it), so the path follows the hop
 *   that ended last and starts at the root whose subtree ends last;
 * - an asynchronous descendant still running at the current point is followed up to that point
 *   (the reply consumer that woke the waiting request, then went on acknowledging its job);
 * - a stretch with no span running (a message waiting in a queue) is counted as waiting.
 * Rows must be the skew-adjusted rows of `buildSpanTree` (depth-first: parents before children).
 */
export function criticalPath(rows: readonly SpanRow[]): CriticalPath {
  const children = childIndexes(rows);
  const rawEnd = (i: number) => rows[i]!.offsetNs + rows[i]!.durationNs;
  // Top-down (parents come first): which spans are async hops, and sync ends clipped to the parent.
  const isAsync = rows.map(() => false);
  const end = rows.map((_, i) => rawEnd(i));
  rows.forEach((row, i) => {
    const parent = row.parentIndex;
    if (parent < 0) return;
    const parentEnd = end[parent]!;
    const overrunsAsRpc = row.span.kind === "SERVER" && rows[parent]!.span.kind === "CLIENT";
    isAsync[i] = row.span.kind === "CONSUMER" || row.offsetNs >= parentEnd || (rawEnd(i) > parentEnd && !overrunsAsRpc);
    if (!isAsync[i]) end[i] = Math.min(rawEnd(i), parentEnd);
  });
  // Bottom-up: when each span's subtree is done.
  const subtreeEnd = [...end];
  for (let i = rows.length - 1; i >= 0; i--) {
    const parent = rows[i]!.parentIndex;
    if (parent >= 0) subtreeEnd[parent] = Math.max(subtreeEnd[parent]!, subtreeEnd[i]!);
  }
  const segments: CriticalSegment[] = [];
  const add = (rowIndex: number, from: number, to: number) => {
    // Only where the span itself was running; the rest of [from, to] is waiting.
    const start = Math.max(from, rows[rowIndex]!.offsetNs);
    const stop = Math.min(to, end[rowIndex]!);
    if (stop > start) segments.push({ rowIndex, startNs: start, endNs: stop });
  };
  const visited = new Set<number>();
  // Iterative (deep traces would overflow recursion): at `index`, all after `until` is accounted for.
  const walk = (root: number) => {
    const stack: { index: number; until: number }[] = [{ index: root, until: subtreeEnd[root]! }];
    while (stack.length > 0) {
      const { index, until: frameUntil } = stack.pop()!;
      visited.add(index);
      let until = frameUntil;
      const start = rows[index]!.offsetNs;
      // Latest-finishing first; `until` only moves back, so one pass finds each next child.
      const byEnd = [...children[index]!].sort((a, b) => subtreeEnd[b]! - subtreeEnd[a]!);
      let lastTakenAsync = false;
      for (const child of byEnd) {
        if (until <= start) break;
        const childStart = rows[child]!.offsetNs;
        if (childStart >= until) continue; // began after the point reached: not waited for here
        if (!isAsync[child] && end[child]! > until) continue; // still running then: parallel work
        // Async work still running at this point is followed up to it only when what came next was
        // synchronous (the reply that woke the caller); beside another async hop it is a parallel
        // subscriber of the same message.
        if (subtreeEnd[child]! > until && lastTakenAsync) continue;
        const reached = Math.min(subtreeEnd[child]!, until);
        if (reached <= start) break; // done before this span began
        add(index, reached, until);
        stack.push({ index: child, until: reached });
        lastTakenAsync = isAsync[child]!;
        until = Math.max(start, childStart);
      }
      add(index, start, until);
    }
  };
  const roots = rows.map((row, i) => (row.parentIndex < 0 ? i : -1)).filter((i) => i >= 0);
  if (roots.length === 0) return { segments: [], rowIndexes: new Set(), activeNs: 0, waitingNs: 0, lengthNs: 0 };
  const lastRoot = roots.reduce((best, i) => (subtreeEnd[i]! > subtreeEnd[best]! ? i : best));
  walk(lastRoot);
  segments.sort((a, b) => a.startNs - b.startNs);
  const firstStart = roots.reduce((min, i) => Math.min(min, rows[i]!.offsetNs), Infinity);
  const lengthNs = subtreeEnd[lastRoot]! - firstStart;
  const activeNs = segments.reduce((sum, s) => sum + (s.endNs - s.startNs), 0);
  return { segments, rowIndexes: visited, activeNs, waitingNs: Math.max(0, lengthNs - activeNs), lengthNs };
}
