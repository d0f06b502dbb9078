"use client";
import { useRouter } from "next/navigation";
import type { Flow, FlowStep } from "../../../../server/flow/types.ts";
import { formatDuration } from "../../../lib/format.ts";
import { serviceColor } from "../../../lib/service-colors.ts";
import { useVirtualRows } from "../use-virtual-rows.ts";
import { FlowArrow, FlowMarkers } from "./flow-arrow.tsx";

export const ROW_H = 34;
const GUTTER = 92;
const LANE_W = 160;

/**
 * The sequence diagram: sticky lane headers, then one fixed-height row per step in time order.
 * Rows are windowed (only those in view are drawn), so a trace with thousands of steps scrolls
 * like a short one; repeated steps already arrive folded (×N) from the builder.
 */
export function FlowDiagram({ flow }: { flow: Flow }) {
  const router = useRouter();
  const { ref, start, end, totalHeight } = useVirtualRows(flow.steps.length, ROW_H);
  const width = GUTTER + flow.lanes.length * LANE_W;
  const laneX = (i: number) => GUTTER + i * LANE_W + LANE_W / 2;
  const pairIndex = new Map(flow.pairs.map((p, i) => [p.conversationId, i]));
  const open = (step: FlowStep) => router.push(`/traces/${flow.traceId}?span=${step.spanId}`);

  return (
    <div ref={ref} className="min-h-0 flex-1 overflow-auto" data-testid="flow-diagram">
      <FlowMarkers />
      <div style={{ width, minWidth: "100%" }} className="relative">
        <div className="sticky top-0 z-10 flex border-b border-line bg-subtle" style={{ width }}>
          <div className="shrink-0 px-2 py-1.5 text-[11px] text-muted" style={{ width: GUTTER }}>
            time
          </div>
          {flow.lanes.map((lane) => (
            <div key={lane.name} className="flex shrink-0 items-center justify-center gap-1.5 px-1 py-1.5 text-[12px] font-medium" style={{ width: LANE_W }} data-testid="flow-lane">
              <span aria-hidden className={`inline-block size-2 ${lane.kind === "external" ? "rotate-45" : "rounded-full"}`} style={{ background: lane.kind === "external" ? "var(--fg-muted)" : serviceColor(lane.name) }} />
              <span className={`truncate ${lane.kind === "external" ? "italic text-muted" : ""}`} title={lane.kind === "external" ? `${lane.name} (not traced)` : lane.name}>
                {lane.name}
              </span>
            </div>
          ))}
        </div>
        <svg width={width} height={Math.max(totalHeight, 40)} className="block" role="list" aria-label="Flow steps">
          {flow.lanes.map((lane, i) => (
            <line key={lane.name} x1={laneX(i)} x2={laneX(i)} y1={0} y2={Math.max(totalHeight, 40)} stroke="var(--line-strong)" strokeDasharray={lane.kind === "external" ? "2 4" : undefined} />
          ))}
          {flow.steps.slice(start, end).map((step, k) => {
            const index = start + k;
            return (
              <g key={step.key + index} transform={`translate(0 ${index * ROW_H})`}>
                <text x={8} y={ROW_H / 2 + 4} fontSize={11} fill="var(--fg-muted)" className="tabular-nums">
                  {formatDuration(step.offsetNs)}
                </text>
                <FlowArrow step={step} laneX={laneX} pair={step.conversationId !== null ? (pairIndex.get(step.conversationId) ?? null) : null} onOpen={() => open(step)} />
              </g>
            );
          })}
        </svg>
        {flow.steps.length === 0 && <p className="p-4 text-muted">No calls or messages in this trace: all its spans are internal.</p>}
      </div>
    </div>
  );
}
