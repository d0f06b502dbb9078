import type { StoredSpan } from "../store/types.ts";
import { buildSpanTree } from "./span-tree.ts";
import type { SpanTree } from "./types.ts";

/** What the trace page keeps of one `traces.get` page (view `spans`). */
export type SpanPage = {
  spans: readonly StoredSpan[];
  /** Spans stored for the whole trace when this page was read. */
  totalSpans: number;
  /** Null on the trace's last page. */
  nextCursor: unknown;
};

/** The pages loaded so far, as one tree. */
export type LoadedTrace = {
  tree: SpanTree;
  loadedSpans: number;
  /** Never below `loadedSpans`: spans keep arriving while a live trace is read. */
  totalSpans: number;
  /** True once the last page is in. */
  isComplete: boolean;
};

/**
 * Merges the pages of a big trace (read in start-time order) into one span tree, rebuilt from all
 * of them. A span whose parent is on a page not loaded yet is an orphan (a flagged root) until
 * that page arrives, then it moves under its parent: the tree of every page together equals the
 * tree of the whole trace read at once. Returns null before the first page.
 */
export function mergeTracePages(pages: readonly SpanPage[]): LoadedTrace | null {
  const last = pages[pages.length - 1];
  if (!last) return null;
  const spans = pages.flatMap((p) => p.spans);
  const newestTotal = Math.max(...pages.map((p) => p.totalSpans));
  return {
    tree: buildSpanTree(spans),
    loadedSpans: spans.length,
    totalSpans: Math.max(newestTotal, spans.length),
    isComplete: last.nextCursor === null,
  };
}
