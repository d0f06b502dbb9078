"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import type { SpanTree } from "../../../server/trace/types.ts";
import type { CriticalPath, CriticalSegment } from "../../../server/trace/critical-path.ts";
import { formatDuration, rulerTicks } from "../../lib/format.ts";
import { ancestorKeys, visibleRowIndices } from "./visible-rows.ts";
import { NAME_WIDTH, ROW_HEIGHT } from "./layout-constants.ts";
import { SpanRowView } from "./span-row.tsx";
import { useTreeKeys } from "./use-tree-keys.ts";
import { useVirtualRows } from "./use-virtual-rows.ts";


type Props = { tree: SpanTree; selectedKey: string | null; onSelect: (key: string | null) => void; criticalPath: CriticalPath | null };

/** Span tree on the left, bars on a shared time axis on the right; rows are virtualised. */
export function Waterfall({ tree, selectedKey, onSelect, criticalPath }: Props) {
  // One stable array per row on the path, so memoised rows re-render only when the path changes.
  const segmentsByRow = useMemo(() => {
    const byRow = new Map<number, CriticalSegment[]>();
    for (const rowIndex of criticalPath?.rowIndexes ?? []) byRow.set(rowIndex, []);
    for (const segment of criticalPath?.segments ?? []) byRow.get(segment.rowIndex)?.push(segment);
    return byRow;
  }, [criticalPath]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const visible = useMemo(() => visibleRowIndices(tree.rows, collapsed), [tree.rows, collapsed]);
  const { ref, start, end, totalHeight, scrollToIndex } = useVirtualRows(visible.length, ROW_HEIGHT);
  const ticks = useMemo(() => rulerTicks(tree.durationNs), [tree.durationNs]);
  const revealed = useRef<string | null>(null);

  // A span opened from the URL must be visible: unfold its ancestors, then scroll to it, once.
  useEffect(() => {
    if (!selectedKey || revealed.current === selectedKey) return;
    const index = tree.rows.findIndex((r) => r.key === selectedKey);
    if (index < 0) return;
    const hidden = ancestorKeys(tree.rows, index).filter((k) => collapsed.has(k));
    if (hidden.length > 0) {
      setCollapsed((prev) => new Set([...prev].filter((k) => !hidden.includes(k))));
      return;
    }
    revealed.current = selectedKey;
    scrollToIndex(visible.indexOf(index));
  }, [selectedKey, tree.rows, collapsed, visible, scrollToIndex]);

  const toggle = (key: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const onKeyDown = useTreeKeys({ tree, visible, selectedKey, collapsed, onSelect, toggle, scrollToIndex });
  const collapseAll = () => setCollapsed(new Set(tree.rows.filter((r) => r.depth === 0 && r.childCount > 0).map((r) => r.key)));

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="waterfall">
      <div className="flex h-7 shrink-0 items-stretch overflow-hidden border-b border-line bg-subtle text-[11px] text-muted [scrollbar-gutter:stable]">
        <div className="flex shrink-0 items-center gap-2 border-r border-line px-2" style={{ width: NAME_WIDTH }}>
          <span className="font-medium">Service · span</span>
          <button type="button" className="ml-auto hover:text-fg" onClick={() => setCollapsed(new Set())}>
            Expand all
          </button>
          <button type="button" className="hover:text-fg" onClick={collapseAll}>
            Collapse
          </button>
        </div>
        <div className="relative mx-3 flex-1" aria-hidden>
          {ticks.map((t) => {
            const at = t / Math.max(1, tree.durationNs);
            // Labels centre on their line, except at the edges where they would be clipped.
            const shift = at === 0 ? "0" : at > 0.8 ? "-100%" : "-50%";
            return (
              <span key={t} className="absolute top-1.5 tabular-nums" style={{ left: `${at * 100}%`, transform: `translateX(${shift})` }}>
                {t === 0 ? "0" : formatDuration(t)}
              </span>
            );
          })}
        </div>
      </div>
      <div
        ref={ref}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className="relative min-h-0 flex-1 overflow-auto [scrollbar-gutter:stable]"
        role="tree"
        aria-label="Spans"
      >
        <div className="relative" style={{ height: totalHeight }}>
          <div className="pointer-events-none absolute inset-y-0 right-0 flex" style={{ left: NAME_WIDTH }} aria-hidden>
            <div className="relative mx-3 flex-1">
              {ticks.map((t) => (
                <span
                  key={t}
                  className="absolute inset-y-0 w-px bg-line"
                  style={{ left: `${(t / Math.max(1, tree.durationNs)) * 100}%` }}
                />
              ))}
            </div>
          </div>
          {visible.slice(start, end).map((rowIndex, i) => {
            const row = tree.rows[rowIndex]!;
            return (
              <SpanRowView
                key={row.key}
                row={row}
                parent={row.parentIndex >= 0 ? tree.rows[row.parentIndex]! : null}
                top={(start + i) * ROW_HEIGHT}
                height={ROW_HEIGHT}
                traceDurationNs={tree.durationNs}
                isSelected={row.key === selectedKey}
                isCollapsed={collapsed.has(row.key)}
                criticalSegments={criticalPath ? (segmentsByRow.get(rowIndex) ?? null) : undefined}
                onToggle={toggle}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
