import type { Flow } from "../../server/flow/types.ts";
import { serviceColor } from "../lib/service-colors.ts";

const W = 240;
const ROW = 9;
const TOP = 14;
const MAX_STEPS = 48;

/** A thumbnail of a flow: lanes and arrows only (solid = call, dashed = message, red = error). */
export function MiniFlow({ flow }: { flow: Flow }) {
  const steps = flow.steps.filter((s) => s.kind !== "return").slice(0, MAX_STEPS);
  const laneW = W / Math.max(1, flow.lanes.length);
  const x = (i: number) => laneW * i + laneW / 2;
  const height = TOP + steps.length * ROW + 8;
  return (
    <svg width={W} height={height} role="img" aria-label={`Flow of ${flow.lanes.length} services, ${flow.steps.length} steps`}>
      {flow.lanes.map((lane, i) => (
        <g key={lane.name}>
          <circle cx={x(i)} cy={5} r={3} fill={lane.kind === "external" ? "var(--fg-muted)" : serviceColor(lane.name)}>
            <title>{lane.name}</title>
          </circle>
          <line x1={x(i)} x2={x(i)} y1={10} y2={height} stroke="var(--line-strong)" />
        </g>
      ))}
      {steps.map((s, i) => {
        const to = s.to !== null ? x(s.to) : x(s.from ?? 0) + 14;
        const from = s.from !== null ? x(s.from) : to - 14;
        const y = TOP + i * ROW;
        const color = s.isError ? "var(--danger)" : s.kind === "message" ? "var(--accent)" : "var(--fg)";
        return <line key={s.key + i} x1={from} x2={to} y1={y} y2={y} stroke={color} strokeWidth={1.2} strokeDasharray={s.kind === "message" ? "3 2" : undefined} />;
      })}
      {flow.steps.length > MAX_STEPS && (
        <text x={W / 2} y={height - 1} fontSize={9} textAnchor="middle" fill="var(--fg-muted)">
          …
        </text>
      )}
    </svg>
  );
}
