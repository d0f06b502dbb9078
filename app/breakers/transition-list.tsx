"use client";
import Link from "next/link";
import { useState } from "react";
import type { BreakerTransitionView } from "../../server/breakers/schema.ts";
import { clockTime, percent, STATE_STYLE, windowLength } from "./breaker-state.ts";

/** Transitions shown per page of a card. */
export const TRANSITIONS_PER_PAGE = 8;

/** Where a transition links: the span that records it, inside the trace of the call that caused it. */
export const transitionHref = (t: Pick<BreakerTransitionView, "traceId" | "spanId">) => `/traces/${t.traceId}?span=${t.spanId}`;

/** What the breaker itself saw, over its own sliding window, when it changed state. */
function sawText(t: BreakerTransitionView): string {
  if (t.failureRate === null) return "";
  const calls = t.windowCalls === null ? "" : ` of ${t.windowCalls} call${t.windowCalls === 1 ? "" : "s"}`;
  const window = t.windowMs === null ? "window" : `${windowLength(t.windowMs)} window`;
  return `breaker's own ${window}: ${percent(t.failureRate)} failed${calls}`;
}

/**
 * Every transition of the window, newest first, a page at a time. Each links to the span of the
 * state change in the trace of the call that caused it (the trace page opens and scrolls to it).
 */
export function TransitionList({ transitions, windowLabel }: { transitions: BreakerTransitionView[]; windowLabel: string }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(transitions.length / TRANSITIONS_PER_PAGE));
  const current = Math.min(page, pages - 1);
  if (transitions.length === 0) return <p className="mt-2 text-muted">No state changes in the {windowLabel}.</p>;
  const newestFirst = [...transitions].reverse();
  const first = current * TRANSITIONS_PER_PAGE;
  const shown = newestFirst.slice(first, first + TRANSITIONS_PER_PAGE);
  return (
    <div className="mt-2" data-testid="transitions">
      <div className="mb-1 flex items-center gap-2 text-[11px] text-muted">
        <span data-testid="transitions-range">
          Transitions {first + 1}–{first + shown.length} of {transitions.length} in the {windowLabel}, newest first
        </span>
        {pages > 1 && (
          <span className="ml-auto flex gap-1">
            <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)} className="rounded border border-line px-1.5 hover:bg-hover disabled:opacity-40">Newer</button>
            <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)} className="rounded border border-line px-1.5 hover:bg-hover disabled:opacity-40">Older</button>
          </span>
        )}
      </div>
      <ol className="space-y-0.5" aria-label="Transitions">
        {shown.map((t) => {
          const saw = sawText(t);
          return (
            <li key={t.spanId} className="flex min-w-0 items-baseline gap-2" data-testid="transition">
              <span className="w-20 shrink-0 text-muted tabular-nums">{clockTime(t.atNs)}</span>
              <span className={`shrink-0 font-medium ${STATE_STYLE[t.to].badge} rounded px-1 text-[11px]`}>
                {STATE_STYLE[t.from].label} → {STATE_STYLE[t.to].label}
              </span>
              <span className="min-w-0 flex-1 truncate text-muted" title={saw ? `${t.reason} (${saw})` : t.reason}>{t.reason}</span>
              <Link href={transitionHref(t)} className="shrink-0 font-mono text-[12px] text-accent hover:underline" title="The span of this change, in the trace of the call that caused it">
                {t.traceId.slice(0, 8)}
              </Link>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
