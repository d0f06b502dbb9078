"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { traceStatistics, type StatGrouping, type StatLine } from "../../../../server/trace/statistics.ts";
import { StatePanel } from "../../../components/state-panel.tsx";
import { errorMessageOf } from "../../../lib/errors.ts";
import { formatDuration } from "../../../lib/format.ts";
import { serviceColor } from "../../../lib/service-colors.ts";
import { TraceTabs } from "../flow/flow-view.tsx";
import { useTracePages } from "../use-trace-pages.ts";
import { DURATIONS } from "../../../../server/trace/durations.ts";

const SORTS = { self: "Self time", total: "Total time", count: "Spans", max: "Longest", errors: "Errors" } as const;
type SortKey = keyof typeof SORTS;
const value: Record<SortKey, (line: StatLine) => number> = {
  self: (l) => l.selfNs,
  total: (l) => l.totalNs,
  count: (l) => l.count,
  max: (l) => l.maxNs,
  errors: (l) => l.errors,
};

/**
 * Where a trace's time went, per service or per operation: spans, total time, self time (time
 * not covered by the span's children), the longest span and errors. Grouping and sort live in the
 * URL; a click on a column header sorts by it (largest first).
 */
export function StatsView({ traceId }: { traceId: string }) {
  const { query, loaded } = useTracePages(traceId);
  const params = useSearchParams();
  const grouping: StatGrouping = params.get("by") === "operation" ? "operation" : "service";
  const sortParam = params.get("sort");
  const sort: SortKey = sortParam && sortParam in SORTS ? (sortParam as SortKey) : "self";
  const tree = loaded?.tree;
  const lines = useMemo(() => {
    if (!tree) return [];
    return traceStatistics(tree.rows, grouping).sort((a, b) => value[sort](b) - value[sort](a));
  }, [tree, grouping, sort]);
  const href = (changes: Record<string, string>) => `/traces/${traceId}/stats?${new URLSearchParams({ by: grouping, sort, ...changes })}`;

  if (query.isPending) return <div className="p-4 text-muted">Loading trace…</div>;
  if (!tree) {
    return (
      <StatePanel title="Could not load this trace" tone="danger" testId="trace-error">
        {errorMessageOf(query.error)}
      </StatePanel>
    );
  }
  const totalSelf = lines.reduce((sum, l) => sum + l.selfNs, 0);
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="border-b border-line px-4 py-2.5">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h1 className="text-[15px] font-semibold">Statistics</h1>
          <span className="font-mono text-[12px] text-muted">{traceId}</span>
          <TraceTabs traceId={traceId} active="stats" />
          <nav aria-label="Group by" className="ml-2 flex gap-1 text-[12px]">
            {(["service", "operation"] as const).map((by) => (
              <Link
                key={by}
                href={href({ by })}
                aria-current={grouping === by ? "true" : undefined}
                className={`rounded border px-2 py-0.5 ${grouping === by ? "border-fg bg-fg text-bg" : "border-line text-muted hover:text-fg"}`}
              >
                per {by}
              </Link>
            ))}
          </nav>
        </div>
        <p className="mt-1 text-[12px] text-muted">
          {tree.rows.length.toLocaleString("en-US")} spans over {formatDuration(tree.durationNs)}. Self time is a span&apos;s duration minus the
          time its children cover; summed, it is the time some span was busy on its own ({formatDuration(totalSelf)}).
        </p>
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        <table className="w-full text-[12px]" data-testid="trace-stats">
          <thead className="sticky top-0 bg-subtle text-left text-muted">
            <tr>
              <th className="px-4 py-1.5 font-medium">Service</th>
              {grouping === "operation" && <th className="px-2 py-1.5 font-medium">Operation</th>}
              {(Object.keys(SORTS) as SortKey[]).map((key) => (
                <th key={key} className="px-2 py-1.5 text-right font-medium" aria-sort={sort === key ? "descending" : "none"}>
                  <Link href={href({ sort: key })} className={sort === key ? "text-fg" : "hover:text-fg"} title={key === "self" ? DURATIONS.selfTime.definition : key === "total" ? DURATIONS.totalTime.definition : undefined}>
                    {SORTS[key]}
                    {sort === key ? " ↓" : ""}
                  </Link>
                </th>
              ))}
              <th className="w-[22%] px-4 py-1.5 font-medium">Share of self time</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={`${line.service}/${line.operation ?? ""}`} className="border-b border-line/60" data-testid="stats-row">
                <td className="px-4 py-1">
                  <span className="mr-1.5 inline-block h-2.5 w-[3px] rounded-full align-middle" style={{ background: serviceColor(line.service) }} />
                  {line.service}
                </td>
                {grouping === "operation" && <td className="max-w-[360px] truncate px-2 py-1" title={line.operation ?? ""}>{line.operation}</td>}
                <td className="px-2 py-1 text-right tabular-nums">{formatDuration(line.selfNs)}</td>
                <td className="px-2 py-1 text-right tabular-nums">{formatDuration(line.totalNs)}</td>
                <td className="px-2 py-1 text-right tabular-nums">{line.count}</td>
                <td className="px-2 py-1 text-right tabular-nums">{formatDuration(line.maxNs)}</td>
                <td className={`px-2 py-1 text-right tabular-nums ${line.errors > 0 ? "font-medium text-danger" : ""}`}>{line.errors}</td>
                <td className="px-4 py-1">
                  <div className="h-2 rounded-sm bg-hover">
                    <div className="h-2 rounded-sm" style={{ width: `${(100 * line.selfNs) / Math.max(1, totalSelf)}%`, background: serviceColor(line.service) }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
