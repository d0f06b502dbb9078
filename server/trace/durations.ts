/**
 * The durations the dashboard shows, each defined once: its name, what it measures, and the one
 * function that computes it. Pages label every figure with `label` and put `definition` in its
 * title, so "346 ms" on Orders and "522 ms" in the trace list say which figure each is.
 * docs/architecture.md "Durations" lists the same definitions.
 */
import type { StoredSpan } from "../store/types.ts";
import type { SpanRow } from "./types.ts";

export type DurationKey = "traceDuration" | "responseTime" | "orderTime" | "syncTime" | "asyncTime" | "totalTime" | "selfTime";

/** Name and definition of each figure. */
export const DURATIONS: Record<DurationKey, { label: string; definition: string }> = {
  traceDuration: {
    label: "Trace duration",
    definition:
      "From the first span's start to the last span's end: everything in the trace, including async consumers that finish after the caller got its answer.",
  },
  responseTime: {
    label: "Response time",
    definition: "Duration of the trace's root span: how long the first caller waited for its answer. Async work after the answer is not in it.",
  },
  orderTime: {
    label: "Order time",
    definition:
      "From the order being created to its terminal status (completed, rejected, compensated), as the order service recorded them; none while the order is still running. Starts after the request reached the order service, so it is shorter than the calls around it.",
  },
  syncTime: {
    label: "Sync time",
    definition: "Wall time during which at least one call between two services was in progress (overlapping calls counted once), the caller's whole request included.",
  },
  asyncTime: {
    label: "Async time",
    definition: "Wall time during which at least one message was queued or being consumed (overlaps counted once).",
  },
  totalTime: {
    label: "Total time",
    definition: "Sum of the spans' durations: parallel or nested spans are each counted in full, so it can exceed the trace duration.",
  },
  selfTime: {
    label: "Self time",
    definition: "A span's duration minus the time covered by its children (their union, clipped to the span): work the span did itself, or waited on without a span for it.",
  },
};

/** {@link DURATIONS}.traceDuration over tree rows (offsets after clock-skew correction), in ns. */
export function traceDurationNs(rows: readonly SpanRow[]): number {
  if (rows.length === 0) return 0;
  let start = Infinity;
  let end = -Infinity;
  for (const row of rows) {
    start = Math.min(start, row.offsetNs);
    end = Math.max(end, row.offsetNs + row.durationNs);
  }
  return end - start;
}

/** {@link DURATIONS}.traceDuration over stored spans (as recorded, no skew correction), in ns. */
export function traceDurationOfSpans(spans: readonly StoredSpan[]): number {
  if (spans.length === 0) return 0;
  let start = BigInt(spans[0]!.startTimeUnixNano);
  let end = BigInt(spans[0]!.endTimeUnixNano);
  for (const s of spans) {
    const a = BigInt(s.startTimeUnixNano);
    const b = BigInt(s.endTimeUnixNano);
    if (a < start) start = a;
    if (b > end) end = b;
  }
  return Number(end - start);
}

/**
 * {@link DURATIONS}.responseTime: the duration of the earliest span without a parent. A span
 * whose parent is merely missing is not the root, unless nothing else is; null for no spans.
 */
export function responseTimeNs(rows: readonly SpanRow[]): number | null {
  const roots = rows.filter((r) => r.parentIndex < 0);
  const root = roots.find((r) => r.missingParentId === null) ?? roots[0];
  return root ? root.durationNs : null;
}

/** {@link DURATIONS}.responseTime over stored spans: the earliest span with no parent id. */
export function responseTimeOfSpans(spans: readonly StoredSpan[]): number | null {
  let root: StoredSpan | null = null;
  for (const s of spans) {
    if (s.parentSpanId === null && (root === null || BigInt(s.startTimeUnixNano) < BigInt(root.startTimeUnixNano))) root = s;
  }
  return root ? Number(BigInt(root.durationNs)) : null;
}

/** {@link DURATIONS}.orderTime in ms: created until terminal; null while the order is running. */
export function orderTimeMs(order: { createdAt: string; completedAt: string | null }): number | null {
  if (!order.completedAt) return null;
  return Math.max(0, Date.parse(order.completedAt) - Date.parse(order.createdAt));
}
