"use client";
import { memo } from "react";
import type { SpanRow } from "../../../server/trace/types.ts";
import type { CriticalSegment } from "../../../server/trace/critical-path.ts";
import { formatDuration } from "../../lib/format.ts";
import { serviceColor } from "../../lib/service-colors.ts";
import { NAME_WIDTH } from "./layout-constants.ts";

/** Indent stops growing here so very deep traces keep their names readable. */
const MAX_INDENT_DEPTH = 24;
const INDENT_PX = 14;

type Props = {
  row: SpanRow;
  parent: SpanRow | null;
  top: number;
  height: number;
  traceDurationNs: number;
  isSelected: boolean;
  isCollapsed: boolean;
  /** With the critical path shown: this row's stretches on it (null: off the path). */
  criticalSegments?: CriticalSegment[] | null;
  onToggle: (key: string) => void;
  onSelect: (key: string) => void;
};

const pct = (ns: number, total: number) => `${(ns / Math.max(1, total)) * 100}%`;

/** True for the two ends of a message hop: they live in one trace but run asynchronously. */
function isAsyncKind(kind: string): boolean {
  return kind === "PRODUCER" || kind === "CONSUMER";
}

/** One waterfall row: tree cell (indent, fold toggle, service, name, badges) and its bar. */
export const SpanRowView = memo(function SpanRowView(props: Props) {
  const { row, top, height, isSelected } = props;
  const isError = row.span.status.code === "ERROR";
  return (
    <div
      role="treeitem"
      aria-selected={isSelected}
      aria-level={row.depth + 1}
      aria-expanded={row.childCount > 0 ? !props.isCollapsed : undefined}
      data-testid="span-row"
      data-span-id={row.span.spanId}
      data-service={row.span.serviceName}
      data-critical={props.criticalSegments ? "true" : undefined}
      onClick={() => props.onSelect(row.key)}
      className={`absolute inset-x-0 flex cursor-pointer items-stretch border-b border-line/60 ${isSelected ? "bg-selected" : "hover:bg-hover"}`}
      style={{ top, height }}
    >
      <NameCell {...props} isError={isError} />
      <div className="relative mx-3 flex-1">
        <Bar {...props} isError={isError} />
      </div>
    </div>
  );
});

function NameCell({ row, parent, isCollapsed, onToggle, isError }: Props & { isError: boolean }) {
  const indent = 6 + Math.min(row.depth, MAX_INDENT_DEPTH) * INDENT_PX;
  // Where the call crosses into another service the service name is emphasised, so hops stand
  // out from the spans a service makes inside itself.
  const isBoundary = !parent || parent.span.serviceName !== row.span.serviceName;
  return (
    <div className="flex shrink-0 items-center gap-1.5 overflow-hidden border-r border-line pr-2" style={{ width: NAME_WIDTH, paddingLeft: indent }}>
      {row.childCount > 0 ? (
        <button
          type="button"
          aria-label={isCollapsed ? "Expand" : "Collapse"}
          onClick={(e) => {
            e.stopPropagation();
            onToggle(row.key);
          }}
          className="flex size-4 shrink-0 items-center justify-center rounded text-muted hover:bg-line hover:text-fg"
        >
          <svg viewBox="0 0 10 10" className={`size-2.5 transition-transform ${isCollapsed ? "" : "rotate-90"}`} aria-hidden>
            <path d="M3 1.5 7 5 3 8.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
          </svg>
        </button>
      ) : (
        <span className="size-4 shrink-0" />
      )}
      <span aria-hidden className="h-3.5 w-[3px] shrink-0 rounded-full" style={{ background: serviceColor(row.span.serviceName) }} />
      <span className={`shrink-0 ${isBoundary ? "font-medium" : "text-muted"}`}>{row.span.serviceName}</span>
      <span className={`truncate ${isError ? "font-medium text-danger" : ""}`} title={`${row.span.serviceName}: ${row.span.name}`}>
        {row.span.name}
      </span>
      <Badges row={row} isError={isError} isCollapsed={isCollapsed} />
    </div>
  );
}

function Badges({ row, isError, isCollapsed }: { row: SpanRow; isError: boolean; isCollapsed: boolean }) {
  const badge = "shrink-0 rounded px-1 text-[10px] leading-4 font-semibold";
  return (
    <>
      {isError && (
        <span className={`${badge} bg-danger-bg text-danger`} title={row.span.status.message ?? "Error status"} data-testid="error-badge">
          error
        </span>
      )}
      {isAsyncKind(row.span.kind) && (
        <span
          className={`${badge} border border-dashed border-line-strong text-muted`}
          title={row.span.kind === "PRODUCER" ? "Producer: publishes a message (async hop)" : "Consumer: handles a message (async hop)"}
        >
          {row.span.kind === "PRODUCER" ? "send ⇢" : "⇢ recv"}
        </span>
      )}
      {row.skewNs !== 0 && (
        <span className={`${badge} bg-warn-bg text-warn`} title={`Clock skew corrected by ${formatDuration(Math.abs(row.skewNs))}`}>
          skew
        </span>
      )}
      {row.missingParentId && (
        <span className={`${badge} bg-warn-bg text-warn`} title={`Parent ${row.missingParentId} is not in this trace`}>
          no parent
        </span>
      )}
      {row.isDuplicate && <span className={`${badge} bg-warn-bg text-warn`}>dup id</span>}
      {row.isCycleBreak && <span className={`${badge} bg-warn-bg text-warn`}>cycle</span>}
      {isCollapsed && <span className={`${badge} bg-hover text-muted`}>+{row.descendantCount}</span>}
    </>
  );
}

/**
 * Where the duration text goes: after the bar if there is room, else before it (before the
 * queue line for a consumer), else over the bar's right end for bars spanning the whole trace.
 */
function labelPlacement(end: number, leftmost: number) {
  if (end <= 0.85) return { isInside: false, style: { left: `calc(${end * 100}% + 6px)` } };
  if (leftmost >= 0.15) return { isInside: false, style: { right: `calc(${(1 - leftmost) * 100}% + 6px)` } };
  return { isInside: true, style: { right: `calc(${(1 - end) * 100}% + 2px)` } };
}

function Bar({ row, parent, traceDurationNs, isError, criticalSegments }: Props & { isError: boolean }) {
  // With the critical path shown, spans off it fade so the path reads at a glance.
  const isFaded = criticalSegments === null;
  const left = row.offsetNs / Math.max(1, traceDurationNs);
  const parentEnd = parent ? parent.offsetNs + parent.durationNs : 0;
  // A consumer that runs after its producer finished waited in a queue: draw that wait dashed.
  const queuedNs = parent && row.span.kind === "CONSUMER" ? row.offsetNs - parentEnd : 0;
  const placement = labelPlacement((row.offsetNs + row.durationNs) / Math.max(1, traceDurationNs), queuedNs > 0 ? parentEnd / Math.max(1, traceDurationNs) : left);
  return (
    <>
      {queuedNs > 0 && (
        <span
          aria-hidden
          className="absolute top-1/2 border-t border-dashed border-muted"
          style={{ left: pct(parentEnd, traceDurationNs), width: pct(queuedNs, traceDurationNs) }}
          title={`Queued ${formatDuration(queuedNs)}`}
        />
      )}
      <span
        className={`absolute top-1/2 h-2.5 min-w-[2px] -translate-y-1/2 rounded-[2px] ${isError ? "ring-2 ring-danger" : ""} ${isFaded ? "opacity-30" : ""}`}
        style={{
          left: pct(row.offsetNs, traceDurationNs),
          width: pct(row.durationNs, traceDurationNs),
          background: serviceColor(row.span.serviceName),
        }}
      />
      {criticalSegments?.map((segment) => (
        <span
          key={segment.startNs}
          data-testid="critical-segment"
          className="absolute top-1/2 h-1 min-w-[2px] -translate-y-1/2 rounded-full bg-fg"
          style={{ left: pct(segment.startNs, traceDurationNs), width: pct(segment.endNs - segment.startNs, traceDurationNs) }}
          title={`On the critical path: ${formatDuration(segment.endNs - segment.startNs)}`}
        />
      ))}
      <span
        className={`absolute top-1/2 -translate-y-1/2 rounded-sm text-[11px] whitespace-nowrap tabular-nums ${isError ? "text-danger" : "text-muted"} ${placement.isInside ? "bg-bg/85 px-1" : ""}`}
        style={placement.style}
      >
        {formatDuration(row.durationNs)}
        {queuedNs > 0 && <span className="ml-1 opacity-80">(queued {formatDuration(queuedNs)})</span>}
      </span>
    </>
  );
}
