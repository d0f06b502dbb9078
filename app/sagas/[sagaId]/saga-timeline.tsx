"use client";
import Link from "next/link";
import type { Saga, SagaAttempt } from "../../../server/saga/types.ts";
import { formatDuration } from "../../lib/format.ts";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useWidth } from "../../lib/use-width.ts";

const ROW = 44;
const LANE = 14;
const EXEC_Y = 7;
const COMP_Y = 25;
const BAR_TONE = { succeeded: "var(--ok)", failed: "var(--danger)", none: "var(--accent)" } as const;

const spanHref = (a: Pick<SagaAttempt, "traceId" | "spanId">) => `/traces/${a.traceId}?span=${a.spanId}`;

/**
 * Steps in plan order, each with two lanes on one time axis: executions above, compensations
 * below (amber, numbered as in the summary below: the order the successful compensations ran).
 * Arrows lead from the failure back up through the compensations, so the reverse order is
 * visible at a glance. Every bar opens its span. With many attempts (a saga caught in an outage
 * retries for a while) only the last execution and the successful compensation carry a label;
 * the others are bars with a tooltip, counted in the Time column.
 */
export function SagaTimeline({ saga }: { saga: Saga }) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const total = Math.max(1, (saga.endOffsetNs ?? saga.lastActivityOffsetNs) * 1.03);
  const x = (ns: number) => (ns / total) * width;
  const compNumber = new Map<string, number>();
  saga.steps
    .flatMap((s) => s.compensations.filter((c) => c.outcome === "succeeded"))
    .sort((a, b) => a.offsetNs - b.offsetNs)
    .forEach((c, i) => compNumber.set(c.spanId, i + 1));
  const labelAt = (left: number) => (left > width * 0.6 ? "left" : "right");

  return (
    <section className="m-4 rounded-md border border-line" data-testid="saga-steps">
      <div className="grid grid-cols-[28px_170px_110px_90px_1fr] border-b border-line bg-subtle text-[11px] font-medium text-muted">
        <div className="px-2 py-1.5">#</div>
        <div className="px-2 py-1.5">Step</div>
        <div className="px-2 py-1.5">State</div>
        <div className="px-2 py-1.5 text-right">Time</div>
        <div className="flex justify-between px-2 py-1.5">
          <span>0</span>
          <span className="normal-case">▮ execute · ▮ compensate · ┆ start / resume / request / end</span>
          <span>{formatDuration(total)}</span>
        </div>
      </div>
      <div className="grid grid-cols-[28px_170px_110px_90px_1fr]">
        <div className="col-span-4">
          {saga.steps.map((step) => (
            <div key={step.name} className="grid grid-cols-[28px_170px_110px_90px] items-center border-b border-line" style={{ height: ROW }} data-testid="saga-step" data-step={step.name} data-state={step.state}>
              <div className="px-2 text-muted tabular-nums">{step.index + 1}</div>
              <div className="truncate px-2 font-medium">{step.name}</div>
              <div className="px-2">
                <StatusBadge status={step.state} title={step.executions.at(-1)?.reason ?? undefined} />
              </div>
              <div className="overflow-hidden px-2 text-right text-[12px] leading-[14px] text-muted tabular-nums">
                {step.executions.length > 0 ? formatDuration(step.executions.reduce((t, a) => t + a.durationNs, 0)) : "–"}
                {/* One short line each, so a row keeps its height however many attempts it took. */}
                {step.executions.length > 1 && (
                  <div className="truncate text-[11px]" data-testid="step-attempts"
                    title={`${step.executions.length} attempts, ${failedCount(step.executions)} without success`}>
                    {step.executions.length} tries{failedCount(step.executions) > 0 ? ` · ${failedCount(step.executions)} ✕` : ""}
                  </div>
                )}
                {failedCount(step.compensations) > 0 && (
                  <div className="truncate text-[11px] text-warn" title={`the undo failed ${failedCount(step.compensations)} time(s) and was retried`}>
                    {failedCount(step.compensations)} undo retries
                  </div>
                )}
              </div>
            </div>
          ))}
        </div>
        <div ref={ref} className="relative overflow-hidden border-l border-line" style={{ height: saga.steps.length * ROW }}>
          <svg width={width} height={saga.steps.length * ROW} className="absolute inset-0" aria-label="Saga timeline" role="img">
            <defs>
              <marker id="comp-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L8,4 L0,8 z" fill="var(--warn)" />
              </marker>
            </defs>
            {saga.steps.map((_, i) => (
              <line key={i} x1={0} x2={width} y1={(i + 1) * ROW - 0.5} y2={(i + 1) * ROW - 0.5} stroke="var(--line)" />
            ))}
            {saga.markers.map((m) => {
              // People's requests in the warning tone; a request that did not act is labelled so.
              const tone = m.kind === "resume" ? "var(--accent)" : m.kind === "cancel" || m.kind === "retry" ? "var(--warn)" : undefined;
              const label = m.outcome && m.outcome !== "accepted" ? `${m.kind} (${m.outcome})` : m.kind;
              return (
                <a key={m.spanId} href={`/traces/${m.traceId}?span=${m.spanId}`}>
                  <title>{`${label}: open its span`}</title>
                  <line x1={x(m.offsetNs)} x2={x(m.offsetNs)} y1={0} y2={saga.steps.length * ROW} stroke={tone ?? "var(--line-strong)"} strokeDasharray="3 3" />
                  <text x={x(m.offsetNs) + 3} y={m.kind === "cancel" || m.kind === "retry" ? 22 : 10} fontSize={10} fill={tone ?? "var(--fg-muted)"} data-testid={`marker-${m.kind}`}>
                    {label}
                  </text>
                </a>
              );
            })}
            <CompensationArrows saga={saga} x={x} />
          </svg>
          {saga.steps.map((step, row) => (
            <div key={step.name}>
              {step.executions.map((a, i) => (
                <Bar
                  key={a.spanId}
                  attempt={a}
                  left={x(a.offsetNs)}
                  width={x(a.durationNs)}
                  top={row * ROW + EXEC_Y}
                  tone={BAR_TONE[a.outcome ?? "none"]}
                  label={a.outcome === "failed" && i === step.executions.length - 1 ? `✕ ${a.reason ?? "failed"}` : ""}
                  labelSide={labelAt(x(a.offsetNs))}
                />
              ))}
              {step.compensations.map((a) => {
                const n = compNumber.get(a.spanId);
                const label = n === undefined ? "" : a.noop ? `↩${n} nothing to undo` : `↩${n} ${step.name}`;
                return (
                  <Bar key={a.spanId} attempt={a} left={x(a.offsetNs)} width={x(a.durationNs)} top={row * ROW + COMP_Y} tone={a.outcome === "failed" ? "var(--danger)" : a.noop ? "var(--fg-muted)" : "var(--warn)"} label={label} labelSide={labelAt(x(a.offsetNs))} testId="compensation-bar" />
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

const failedCount = (attempts: SagaAttempt[]) => attempts.filter((a) => a.outcome !== "succeeded").length;

function Bar({ attempt, left, width, top, tone, label, labelSide, testId }: { attempt: SagaAttempt; left: number; width: number; top: number; tone: string; label: string; labelSide: "left" | "right"; testId?: string }) {
  const noop = attempt.noop ? " · nothing to undo" : "";
  const title = `${attempt.action} · ${attempt.outcome ?? "no outcome"}${noop} · ${formatDuration(attempt.durationNs)}${attempt.reason ? ` · ${attempt.reason}` : ""} — open span`;
  const text = label && (
    <span className={`max-w-64 truncate whitespace-nowrap text-[11px] ${labelSide === "left" ? "mr-1.5" : "ml-1.5"}`} style={{ color: tone }}>
      {label}
    </span>
  );
  // A label near the right edge goes to the left of its bar, so it stays inside the card.
  const style = labelSide === "left" ? { right: `calc(100% - ${left + Math.max(3, width)}px)`, top, height: LANE } : { left, top, height: LANE };
  return (
    <Link href={spanHref(attempt)} title={title} data-testid={testId ?? "execution-bar"} data-noop={attempt.noop || undefined} className="group absolute flex items-center" style={style}>
      {labelSide === "left" && text}
      <span className="block h-full shrink-0 rounded-sm group-hover:opacity-80" style={{ width: Math.max(3, width), background: tone }} />
      {labelSide === "right" && text}
    </Link>
  );
}

/** Arrows from the failed execution to the first compensation, then from each compensation to the next. */
function CompensationArrows({ saga, x }: { saga: Saga; x: (ns: number) => number }) {
  const comps = saga.steps
    .flatMap((s, row) => s.compensations.map((a) => ({ a, row })))
    .sort((p, q) => p.a.offsetNs - q.a.offsetNs);
  const failed = saga.steps.flatMap((s, row) => s.executions.filter((a) => a.outcome === "failed").map((a) => ({ a, row }))).at(-1);
  const chain = failed ? [{ a: failed.a, row: failed.row, y: failed.row * ROW + EXEC_Y + LANE / 2 }] : [];
  for (const c of comps) chain.push({ a: c.a, row: c.row, y: c.row * ROW + COMP_Y + LANE / 2 });
  return (
    <g data-testid="compensation-arrows">
      {chain.slice(1).map((to, i) => {
        const from = chain[i]!;
        const x1 = x(from.a.offsetNs + from.a.durationNs);
        const x2 = x(to.a.offsetNs);
        return (
          <path key={to.a.spanId} d={`M${x1},${from.y} C${x1 + 12},${from.y} ${x2 - 12},${to.y} ${x2 - 1},${to.y}`} fill="none" stroke="var(--warn)" strokeWidth={1.2} markerEnd="url(#comp-arrow)" />
        );
      })}
    </g>
  );
}
