"use client";
/*
 * Our own rendering rather than a library: d3-flame-graph draws imperatively into the DOM with D3
 * (not React, and it would fight React over the same nodes), react-flame-graph's last release
 * declares React 15/16 only, and @grafana/flamegraph pulls in @grafana/ui and data frames for
 * React 18. An icicle of absolutely placed divs is ~100 lines, follows the theme's CSS variables,
 * and draws only the frames that are visible and at least a pixel wide.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { FlameGraph, FlameNode } from "../../../../server/trace/flame-graph.ts";
import { formatDuration } from "../../../lib/format.ts";
import { serviceColor } from "../../../lib/service-colors.ts";

const ROW_PX = 20;
/** Narrower frames are not drawn (nor anything under them, which is narrower still). */
const MIN_PX = 1;
/** Narrower frames get no label; their title still tells everything. */
const LABEL_PX = 28;

type Props = { graph: FlameGraph; focus: number; onFocus: (path: string) => void };

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

function describe(node: FlameNode): string {
  const lines = [
    node.depth === 0 ? "Whole trace" : `${node.service}: ${node.operation}`,
    `Total time ${formatDuration(node.totalNs)} in ${node.count.toLocaleString("en-US")} span${node.count === 1 ? "" : "s"}`,
    `Self time ${formatDuration(node.selfNs)}`,
  ];
  if (node.errors > 0) lines.push(`${node.errors} error span(s)`);
  if (node.orphans > 0) lines.push(`${node.orphans} span(s) whose parent is not in the trace`);
  return lines.join("\n");
}

/**
 * The icicle: the focused frame spans the full width with its subtree below; the frames above
 * it (its ancestors) span the full width too, and a click on one zooms back out.
 */
export function FlameChart({ graph, focus, onFocus }: Props) {
  const { ref, width } = useWidth();
  const focused = graph.nodes[focus]!;
  const scale = width / Math.max(1, focused.widthNs);
  const frames: ReactNode[] = [];
  const frame = (index: number, left: number, w: number, row: number) => {
    const node = graph.nodes[index]!;
    const color = node.depth === 0 ? "var(--line-strong)" : serviceColor(node.service);
    frames.push(
      <button
        key={index}
        type="button"
        title={describe(node)}
        onClick={() => onFocus(index === focus && node.parent >= 0 ? graph.nodes[node.parent]!.path : node.path)}
        data-testid="flame-frame"
        data-path={node.path}
        data-focused={index === focus ? "true" : undefined}
        className={`absolute overflow-hidden border-b border-bg text-left ${w >= LABEL_PX ? "border-r px-1" : ""} text-[11px] leading-[19px] whitespace-nowrap text-ellipsis hover:brightness-110 focus-visible:outline-2 focus-visible:outline-accent ${node.errors > 0 ? "font-medium text-danger" : "text-fg"}`}
        style={{ left, width: w, top: row * ROW_PX, height: ROW_PX, background: `color-mix(in srgb, ${color} ${index === focus ? 55 : 32}%, var(--bg))` }}
      >
        {w >= LABEL_PX ? (node.depth === 0 ? `all ${node.count.toLocaleString("en-US")} spans` : `${node.service}: ${node.operation}`) : null}
      </button>,
    );
  };

  let rows = 0;
  if (width > 0) {
    // Ancestors, then the focused frame, full width.
    for (let i = focused.parent, row = focused.depth - 1; i >= 0; i = graph.nodes[i]!.parent, row--) frame(i, 0, width, row);
    frame(focus, 0, width, focused.depth);
    rows = focused.depth + 1;
    // Its subtree is nodes[focus + 1 .. end) in pre-order: skip any frame under a pixel with its subtree.
    for (let i = focus + 1; i < focused.end; ) {
      const node = graph.nodes[i]!;
      const w = node.widthNs * scale;
      if (w < MIN_PX) {
        i = node.end;
        continue;
      }
      frame(i, (node.xNs - focused.xNs) * scale, w, node.depth);
      rows = Math.max(rows, node.depth + 1);
      i += 1;
    }
  }
  return (
    <div className="min-h-0 flex-1 overflow-auto px-4 py-3">
      <div ref={ref} className="relative" style={{ height: rows * ROW_PX }} data-testid="flame-chart" data-frames={frames.length}>
        {frames}
      </div>
    </div>
  );
}
