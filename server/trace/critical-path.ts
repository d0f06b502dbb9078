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
 * the child started. Differences from Jaeger, so that async hops count:
 * - a span "finishes" when its whole subtree does (a consumer that runs after its producer ended
 *   still decided the trace's end through that producer), instead of children being clipped to
 *   their parent's end;
 * - the path starts at the root whose subtree ends last, and a stretch with no span running
 *   (queue wait) is counted as waiting rather than given to the parent.
 * Rows must be the skew-adjusted rows of `buildSpanTree` (parentIndex, offsetNs, durationNs).
 */
export function criticalPath(rows: readonly SpanRow[]): CriticalPath {
  const children = rows.map((): number[] => []);
  rows.forEach((row, i) => {
    if (row.parentIndex >= 0) children[row.parentIndex]!.push(i);
  });
  const ownEnd = (i: number) => rows[i]!.offsetNs + rows[i]!.durationNs;
  // Subtree end, children before parents: rows are depth-first, so walk them backwards.
  const subtreeEnd = rows.map((_, i) => ownEnd(i));
  for (let i = rows.length - 1; i >= 0; i--) {
    const parent = rows[i]!.parentIndex;
    if (parent >= 0) subtreeEnd[parent] = Math.max(subtreeEnd[parent]!, subtreeEnd[i]!);
  }
  const segments: CriticalSegment[] = [];
  const add = (rowIndex: number, from: number, to: number) => {
    // Only where the span itself was running; the rest of [from, to] is waiting.
    const start = Math.max(from, rows[rowIndex]!.offsetNs);
    const end = Math.min(to, ownEnd(rowIndex));
    if (end > start) segments.push({ rowIndex, startNs: start, endNs: end });
  };
  // Iterative walk (deep traces would overflow a recursive one): at `index`, everything after
  // `until` is accounted for.
  const visited = new Set<number>();
  const walk = (root: number) => {
    const stack: { index: number; until: number }[] = [{ index: root, until: subtreeEnd[root]! }];
    while (stack.length > 0) {
      const frame = stack.pop()!;
      const { index } = frame;
      visited.add(index);
      let until = frame.until;
      const start = rows[index]!.offsetNs;
      // Children that finished last first; each one taken moves `until` back to its start.
      const byEnd = [...children[index]!].sort((a, b) => subtreeEnd[b]! - subtreeEnd[a]!);
      for (const child of byEnd) {
        const end = subtreeEnd[child]!;
        if (end > until) continue; // overlaps a later child already on the path (parallel work)
        if (end <= start) break; // done before this span began: not what it waited for
        add(index, end, until);
        stack.push({ index: child, until: end });
        until = Math.max(start, rows[child]!.offsetNs);
        if (until <= start) break;
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
  const lengthNs = subtreeEnd[lastRoot]! - Math.min(firstStart, rows[lastRoot]!.offsetNs);
  const activeNs = segments.reduce((sum, s) => sum + (s.endNs - s.startNs), 0);
  return { segments, rowIndexes: visited, activeNs, waitingNs: Math.max(0, lengthNs - activeNs), lengthNs };
}
