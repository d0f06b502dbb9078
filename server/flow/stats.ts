import type { StoredSpan } from "../store/types.ts";
import type { FlowLane, FlowStats } from "./types.ts";

/** [start, end] offsets in ns. */
export type Interval = [number, number];

/** Total length covered by at least one interval (overlaps counted once). */
export function unionLength(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: Interval | null = null;
  for (const [start, end] of sorted) {
    if (!current || start > current[1]) {
      if (current) total += current[1] - current[0];
      current = [start, end];
    } else current[1] = Math.max(current[1], end);
  }
  return current ? total + current[1] - current[0] : total;
}

type CountedStep = { kind: "call" | "return" | "message"; from: string | null; to: string | null };

/** Figures of one flow, for the flow header and the compare view. */
export function computeFlowStats(
  spans: readonly StoredSpan[],
  steps: readonly CountedStep[],
  lanes: readonly FlowLane[],
  calls: readonly Interval[],
  messages: readonly Interval[],
): FlowStats {
  const services = new Set(lanes.filter((l) => l.kind === "service").map((l) => l.name));
  const isHop = (s: CountedStep) => s.kind !== "return" && s.from !== null && s.to !== null && s.from !== s.to && services.has(s.from) && services.has(s.to);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const s of spans) {
    start = Math.min(start, Number(BigInt(s.startTimeUnixNano) / 1000n));
    end = Math.max(end, Number(BigInt(s.endTimeUnixNano) / 1000n));
  }
  return {
    spanCount: spans.length,
    // Calls between two services; a service's database or cache calls are not part of the flow.
    syncCalls: steps.filter((s) => s.kind === "call" && isHop(s)).length,
    asyncMessages: steps.filter((s) => s.kind === "message").length,
    hops: steps.filter(isHop).length,
    syncNs: unionLength(calls),
    asyncNs: unionLength(messages),
    errorCount: spans.filter((s) => s.status.code === "ERROR").length,
    durationNs: spans.length ? (end - start) * 1000 : 0,
  };
}
