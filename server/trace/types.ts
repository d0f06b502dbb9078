import type { StoredSpan } from "../store/types.ts";

/** One row of the waterfall: a span placed in the tree, with times relative to the trace start. */
export type SpanRow = {
  span: StoredSpan;
  /** Unique per row, even when two spans share an id (`<spanId>` or `<spanId>#<n>`). */
  key: string;
  depth: number;
  /** Index of the parent row in `rows`, or -1 for a root. */
  parentIndex: number;
  childCount: number;
  /** Rows after this one that belong to its subtree: collapsing skips exactly this many. */
  descendantCount: number;
  /** Start relative to the trace start, after clock-skew adjustment (ns). */
  offsetNs: number;
  durationNs: number;
  /** Shift applied to this span to correct clock skew (ns, 0 when none). */
  skewNs: number;
  /** Set when the span names a parent that is not in the trace (shown as a root). */
  missingParentId: string | null;
  /** A second span with an id already seen; it is shown, but never used as a parent. */
  isDuplicate: boolean;
  /** The span's parent chain loops back to itself; it was made a root to break the cycle. */
  isCycleBreak: boolean;
};

/** A clock-skew correction applied to one service's spans in this trace. */
export type ClockAdjustment = {
  serviceName: string;
  minDeltaNs: number;
  maxDeltaNs: number;
  spanCount: number;
};

/** Anomalies found while rebuilding the tree, so the UI can say what it repaired. */
export type TreeIssues = {
  orphanCount: number;
  duplicateCount: number;
  cycleCount: number;
  /** Spans dropped because their timestamps were not decimal nanoseconds. */
  invalidCount: number;
};

/** The rebuilt trace: rows in display order (depth-first, children by start time). */
export type SpanTree = {
  rows: SpanRow[];
  /** Earliest adjusted start, Unix ns as a decimal string. */
  traceStartNs: string;
  durationNs: number;
  /** Services in order of first appearance in `rows`. */
  services: string[];
  adjustments: ClockAdjustment[];
  issues: TreeIssues;
};
