"use client";
import type { FlowStep } from "../../../../server/flow/types.ts";
import { formatDuration } from "../../../lib/format.ts";

const ARROW_Y = 21;
const LABEL_Y = 14;
const RETURN_Y = 28;
const STUB = 64;

const COLORS = { call: "var(--fg)", message: "var(--accent)", return: "var(--fg-muted)", error: "var(--danger)" } as const;
type Tone = keyof typeof COLORS;

/** Arrowheads, one per colour (SVG markers cannot take the line's colour in every browser). */
export function FlowMarkers() {
  return (
    <svg width={0} height={0} className="absolute" aria-hidden>
      <defs>
        {(Object.keys(COLORS) as Tone[]).map((tone) => (
          <g key={tone}>
            <marker id={`fa-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill={COLORS[tone]} />
            </marker>
            <marker id={`fo-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10" fill="none" stroke={COLORS[tone]} strokeWidth={1.5} />
            </marker>
          </g>
        ))}
      </defs>
    </svg>
  );
}

function toneOf(step: FlowStep): Tone {
  return step.isError ? "error" : step.kind;
}

function title(step: FlowStep): string {
  const what = step.kind === "message" ? "async message" : step.kind === "call" ? "sync call" : "return";
  const time = step.kind === "message" ? `queued ${formatDuration(step.durationNs)}` : step.kind === "call" ? `took ${formatDuration(step.durationNs)}` : "";
  const pair = step.conversationId ? ` · ${step.role ?? "message"} of conversation ${step.conversationId}` : "";
  return `${what}: ${step.label}${step.count > 1 ? ` ×${step.count}` : ""} ${time}${pair}${step.pattern ? ` · ${step.pattern}` : ""}${step.isError ? " · error" : ""} — click to open the span`;
}

/** One step: a solid call (with its return inline when nothing happened in between), a dashed message, or a dotted return. */
export function FlowArrow({ step, laneX, pair, onOpen }: { step: FlowStep; laneX: (i: number) => number; pair: number | null; onOpen: () => void }) {
  const tone = toneOf(step);
  const color = COLORS[tone];
  const to = step.to !== null ? laneX(step.to) : laneX(step.from ?? 0) + STUB;
  const from = step.from !== null ? laneX(step.from) : to - STUB;
  const isSelf = step.from !== null && step.from === step.to;
  const dash = step.kind === "message" ? "6 4" : step.kind === "return" ? "2 3" : undefined;
  const marker = `url(#${step.kind === "call" ? "fa" : "fo"}-${tone})`;
  const path = isSelf ? `M${from},${ARROW_Y - 6} h28 v10 h-26` : `M${from},${ARROW_Y} L${to + (to > from ? -1 : 1)},${ARROW_Y}`;
  const mid = isSelf ? from + 34 : (from + to) / 2;
  const label = `${step.label}${step.count > 1 ? ` ×${step.count}` : ""}`;
  return (
    <g
      role="listitem"
      tabIndex={0}
      className="cursor-pointer outline-none [&:focus-visible>rect]:stroke-[var(--accent)] [&:hover>rect]:fill-[var(--hover)]"
      onClick={onOpen}
      onKeyDown={(e) => e.key === "Enter" && onOpen()}
      data-testid="flow-step"
      data-kind={step.kind}
      data-label={step.label}
      data-error={step.isError || undefined}
    >
      <title>{title(step)}</title>
      <rect x={Math.min(from, to) - 6} y={2} width={Math.abs(to - from) + (isSelf ? 80 : 12)} height={30} rx={4} fill="transparent" stroke="transparent" />
      {step.from === null && <circle cx={from} cy={ARROW_Y} r={2.5} fill={color} />}
      <path d={path} fill="none" stroke={color} strokeWidth={step.kind === "return" ? 1 : 1.4} strokeDasharray={dash} markerEnd={marker} />
      {step.to === null && <circle cx={to + 4} cy={ARROW_Y} r={3} fill="none" stroke={color} />}
      {step.hasInlineReturn && !isSelf && (
        <path d={`M${to},${RETURN_Y} L${from + (to > from ? 1 : -1)},${RETURN_Y}`} fill="none" stroke={step.isError ? COLORS.error : COLORS.return} strokeWidth={1} strokeDasharray="2 3" markerEnd={`url(#fo-${step.isError ? "error" : "return"})`} />
      )}
      <text x={mid} y={LABEL_Y} fontSize={11} textAnchor={isSelf ? "start" : "middle"} fill={color} className={step.kind === "return" ? "" : "font-medium"}>
        {pair !== null && <tspan fill="var(--warn)">⇄{pair + 1} {step.role} · </tspan>}
        {label}
      </text>
    </g>
  );
}
