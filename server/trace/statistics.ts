import { childIndexes } from "./row-children.ts";
import type { SpanRow } from "./types.ts";

/**
 * Self time of each row: its duration minus the time covered by its children (their union,
 * clipped to the span's own window). Time a span spent waiting on a child is the child's; what is
 * left is work the span did itself, or waited on without a span for it. Same index order as `rows`.
 */
export function selfTimes(rows: readonly SpanRow[]): number[] {
  const children = childIndexes(rows);
  return rows.map((row, i) => {
    const start = row.offsetNs;
    const end = row.offsetNs + row.durationNs;
    const intervals = children[i]!
      .map((c) => [Math.max(start, rows[c]!.offsetNs), Math.min(end, rows[c]!.offsetNs + rows[c]!.durationNs)] as const)
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    let covered = 0;
    let reach = start;
    for (const [a, b] of intervals) {
      if (b <= reach) continue;
      covered += b - Math.max(a, reach);
      reach = b;
    }
    return Math.max(0, row.durationNs - covered);
  });
}

export type StatGrouping = "service" | "operation";

/** One line of the statistics table: a service, or one operation (span name) of a service. */
export type StatLine = {
  service: string;
  /** The span name; null when grouped by service. */
  operation: string | null;
  count: number;
  totalNs: number;
  selfNs: number;
  /** Longest single span of the group (ns). */
  maxNs: number;
  errors: number;
};

/** Count, total, self time, longest span and errors per service or per operation; by self time, largest first. */
export function traceStatistics(rows: readonly SpanRow[], grouping: StatGrouping): StatLine[] {
  const self = selfTimes(rows);
  const lines = new Map<string, StatLine>();
  rows.forEach((row, i) => {
    const operation = grouping === "operation" ? row.span.name : null;
    const key = `${row.span.serviceName}\u0000${operation ?? ""}`;
    const line = lines.get(key) ?? { service: row.span.serviceName, operation, count: 0, totalNs: 0, selfNs: 0, maxNs: 0, errors: 0 };
    line.count += 1;
    line.totalNs += row.durationNs;
    line.selfNs += self[i]!;
    line.maxNs = Math.max(line.maxNs, row.durationNs);
    if (row.span.status.code === "ERROR") line.errors += 1;
    lines.set(key, line);
  });
  return [...lines.values()].sort((a, b) => b.selfNs - a.selfNs || a.service.localeCompare(b.service));
}
