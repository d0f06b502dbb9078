"use client";
import { useMemo, useState } from "react";
import type { DiffRow, DiffSide, TraceDiff } from "../../../server/trace/trace-diff.ts";
import { DURATIONS } from "../../../server/trace/durations.ts";
import { formatDuration } from "../../lib/format.ts";
import { serviceColor } from "../../lib/service-colors.ts";

const SORTS = {
  tree: { label: "Operation path", key: null },
  count: { label: "Δ spans", key: (r: DiffRow) => Math.abs(r.countDelta) },
  mean: { label: "Δ mean", key: (r: DiffRow) => Math.abs(r.meanDeltaNs ?? Math.max(r.a?.meanNs ?? 0, r.b?.meanNs ?? 0)) },
  total: { label: "Δ total", key: (r: DiffRow) => Math.abs(r.totalDeltaNs) },
} as const;
type SortKey = keyof typeof SORTS;

const signed = (n: number, format: (x: number) => string) => (n === 0 ? "±0" : `${n > 0 ? "+" : "−"}${format(Math.abs(n))}`);
const deltaTone = (n: number | null) => (n === null || n === 0 ? "text-muted" : n > 0 ? "text-danger" : "text-ok");
const count = (n: number) => String(n);

const TAG = "shrink-0 rounded px-1.5 text-[11px] font-semibold whitespace-nowrap";

function StatusTag({ row, labels }: { row: DiffRow; labels: [string, string] }) {
  if (row.status === "onlyA") return <span className={`${TAG} bg-danger-bg text-danger`}>only in {labels[0]}</span>;
  if (row.status === "onlyB") return <span className={`${TAG} bg-ok-bg text-ok`}>only in {labels[1]}</span>;
  if (row.countDelta !== 0) return <span className={`${TAG} bg-warn-bg text-warn`}>count {signed(row.countDelta, count)}</span>;
  return null;
}

/** Tree order: the frame, indented. Sorted by a change: the frames above it (cut first) and the frame. */
function PathLabel({ row, isTree }: { row: DiffRow; isTree: boolean }) {
  const frames = row.path.split(";");
  const leaf = frames[frames.length - 1]!;
  if (isTree) return <span className="truncate">{row.operation}</span>;
  return (
    <>
      {/* Right-to-left box around left-to-right text: the ellipsis cuts the start, the nearest frames stay. */}
      {frames.length > 1 && (
        <span dir="rtl" className="min-w-0 truncate text-left text-muted">
          <span dir="ltr">{frames.slice(0, -1).join(" › ")} ›</span>
        </span>
      )}
      <span className="shrink-0">{leaf}</span>
    </>
  );
}

function Side({ side, pick }: { side: DiffSide | null; pick: (s: DiffSide) => string }) {
  return <td className="px-2 py-1 text-right tabular-nums">{side ? pick(side) : <span className="text-muted">—</span>}</td>;
}

/**
 * The structural diff of two traces as a table: one row per operation path with spans, mean and
 * total time in A and B and the change. Sorted in tree order or by the size of a change (column
 * headers); "only in" rows are tagged red (gone in B) or green (new in B), readable in both themes.
 */
export function DiffTable({ diff, labels = ["A", "B"] }: { diff: TraceDiff; labels?: [string, string] }) {
  const [sort, setSort] = useState<SortKey>("tree");
  const [onlyChanges, setOnlyChanges] = useState(false);
  const rows = useMemo(() => {
    const shown = onlyChanges ? diff.rows.filter((r) => r.status !== "both" || r.countDelta !== 0) : diff.rows;
    const key = SORTS[sort].key;
    return key ? [...shown].sort((x, y) => key(y) - key(x)) : shown;
  }, [diff, sort, onlyChanges]);
  const [a, b] = labels;
  const header = (key: SortKey, className = "text-right") => (
    <th className={`px-2 py-1.5 font-medium ${className}`} aria-sort={sort === key ? (key === "tree" ? "ascending" : "descending") : "none"}>
      <button type="button" onClick={() => setSort(key)} className={sort === key ? "text-fg" : "hover:text-fg"} data-testid={`diff-sort-${key}`}>
        {SORTS[key].label}
        {sort === key && key !== "tree" ? " ↓" : ""}
      </button>
    </th>
  );
  return (
    <div data-testid="trace-diff">
      <div className="mb-2 flex flex-wrap items-center gap-3 text-[12px]">
        <span data-testid="diff-summary">
          <b className="text-danger">{diff.onlyA}</b> path(s) only in {a} · <b className="text-ok">{diff.onlyB}</b> only in {b} ·{" "}
          <b className="text-warn">{diff.countChanged}</b> with a different span count · {diff.same} with the same
        </span>
        <label className="flex items-center gap-1.5 text-muted">
          <input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} data-testid="diff-only-changes" />
          Only paths that differ in structure
        </label>
      </div>
      <div className="overflow-x-auto rounded-md border border-line">
        <table className="w-full text-[12px]">
          <thead className="bg-subtle text-muted">
            <tr>
              {header("tree", "text-left")}
              <th className="px-2 py-1.5 text-right font-medium">Spans {a}</th>
              <th className="px-2 py-1.5 text-right font-medium">Spans {b}</th>
              {header("count")}
              <th className="px-2 py-1.5 text-right font-medium" title={`Mean ${DURATIONS.totalTime.label.toLowerCase()} per span of the path`}>Mean {a}</th>
              <th className="px-2 py-1.5 text-right font-medium">Mean {b}</th>
              {header("mean")}
              <th className="px-2 py-1.5 text-right font-medium" title={DURATIONS.totalTime.definition}>Total {a}</th>
              <th className="px-2 py-1.5 text-right font-medium" title={DURATIONS.totalTime.definition}>Total {b}</th>
              {header("total")}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.path}
                className={`border-t border-line/60 ${row.status === "onlyA" ? "bg-danger-bg/50" : row.status === "onlyB" ? "bg-ok-bg/50" : ""}`}
                data-testid="diff-row"
                data-status={row.status}
                data-path={row.path}
              >
                <td className="max-w-[520px] px-2 py-1" title={row.path.split(";").join("\n")}>
                  <div className="flex items-center gap-1.5" style={{ paddingLeft: sort === "tree" ? row.depth * 14 : 0 }}>
                    <span aria-hidden className="h-3 w-[3px] shrink-0 rounded-full" style={{ background: serviceColor(row.service) }} />
                    {sort === "tree" && <span className="shrink-0 text-muted">{row.service}:</span>}
                    <PathLabel row={row} isTree={sort === "tree"} />
                    <StatusTag row={row} labels={labels} />
                  </div>
                </td>
                <Side side={row.a} pick={(s) => String(s.count)} />
                <Side side={row.b} pick={(s) => String(s.count)} />
                <td className={`px-2 py-1 text-right tabular-nums ${deltaTone(row.countDelta)}`}>{signed(row.countDelta, count)}</td>
                <Side side={row.a} pick={(s) => formatDuration(s.meanNs)} />
                <Side side={row.b} pick={(s) => formatDuration(s.meanNs)} />
                <td className={`px-2 py-1 text-right tabular-nums ${deltaTone(row.meanDeltaNs)}`}>{row.meanDeltaNs === null ? "—" : signed(row.meanDeltaNs, formatDuration)}</td>
                <Side side={row.a} pick={(s) => formatDuration(s.totalNs)} />
                <Side side={row.b} pick={(s) => formatDuration(s.totalNs)} />
                <td className={`px-2 py-1 text-right tabular-nums ${deltaTone(row.totalDeltaNs)}`}>{signed(row.totalDeltaNs, formatDuration)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p className="p-3 text-[12px] text-muted">No path differs in structure.</p>}
      </div>
    </div>
  );
}
