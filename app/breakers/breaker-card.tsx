import type { BreakerCard as BreakerCardData } from "../../server/breakers/schema.ts";
import { ServiceChip } from "../components/service-chip.tsx";
import { clockTime, percent, STATE_STYLE, windowLength } from "./breaker-state.ts";
import { StateStrip } from "./state-strip.tsx";
import { TransitionList } from "./transition-list.tsx";

/** A figure with the window it covers named under it (and, for a rate, the breaker's own window). */
function Figure({ label, value, window, tone, title, note }: { label: string; value: string; window: string; tone?: string; title: string; note?: React.ReactNode }) {
  return (
    <div className="min-w-0" title={title} data-testid="figure">
      <div className="truncate text-[11px] uppercase tracking-wide text-muted">{label}</div>
      <div className={`text-[15px] font-semibold tabular-nums ${tone ?? ""}`}>{value}</div>
      <div className="truncate text-[10.5px] text-muted">{window}</div>
      {note}
    </div>
  );
}

/** The window the breaker itself decides over, from its spans' `app.breaker.window_ms`. */
function BreakerWindow({ windowMs }: { windowMs: number | null }) {
  return (
    <div className="truncate text-[10.5px] text-muted" data-testid="breaker-window">
      {windowMs === null ? "breaker window not reported" : `breaker window ${windowLength(windowMs)}`}
    </div>
  );
}

/**
 * One breaker: state now, rates and counts of the page's window, the state strip and every
 * transition. The breaker decides on its own short sliding window; the card's figures cover the
 * page's window, so each figure names its window and each transition says what the breaker saw.
 */
export function BreakerCard({ breaker, fromNs, toNs, windowLabel }: { breaker: BreakerCardData; fromNs: string; toNs: string; windowLabel: string }) {
  const style = STATE_STYLE[breaker.state];
  const over = `over all calls in the ${windowLabel} (the page's window, not the breaker's own)`;
  const last = breaker.transitions.at(-1);
  const own = breaker.breakerWindowMs === null ? "the breaker's own sliding window" : `the breaker's own ${windowLength(breaker.breakerWindowMs)} sliding window`;
  return (
    <article className="min-w-0 overflow-hidden rounded-md border border-line bg-bg p-3" data-testid={`breaker-${breaker.key}`} aria-label={`breaker ${breaker.key}`}>
      <header className="mb-2 flex min-w-0 items-center gap-2">
        <ServiceChip name={breaker.service} />
        <span className="text-muted">→</span>
        <ServiceChip name={breaker.name} />
        <span data-testid="breaker-state" className={`ml-auto shrink-0 rounded px-2 py-0.5 text-[12px] font-bold tracking-wide ${style.badge}`}>
          {style.label}
        </span>
      </header>
      {breaker.lastReason && (
        <p className="mb-2 truncate text-muted" title={last?.failureRate != null ? `${breaker.lastReason} (over ${own})` : breaker.lastReason}>
          {breaker.stateSinceNs ? `since ${clockTime(breaker.stateSinceNs)}: ` : ""}
          {breaker.lastReason}
          {last?.failureRate != null && ` (over ${own})`}
        </p>
      )}
      <div className="mb-3 grid grid-cols-5 gap-2">
        <Figure label="Error rate" window={windowLabel} value={percent(breaker.failureRate)} title={`Failed calls ${over}; the breaker decides over ${own}`} tone={breaker.failureRate >= 0.5 ? "text-danger" : undefined}
          note={<BreakerWindow windowMs={breaker.breakerWindowMs} />} />
        <Figure label="Slow calls" window={windowLabel} value={percent(breaker.slowCallRate)} title={`Slow calls ${over}; the breaker decides over ${own}`} tone={breaker.slowCallRate >= 0.5 ? "text-warn" : undefined}
          note={<BreakerWindow windowMs={breaker.breakerWindowMs} />} />
        <Figure label="Calls" window={windowLabel} value={String(breaker.calls)} title={`Calls made ${over}`} />
        <Figure label="Failed" window={windowLabel} value={String(breaker.failures)} title={`Failed calls ${over}`} />
        <Figure label="Short-circuited" window={windowLabel} value={String(breaker.shortCircuits)} title={`Calls the open breaker refused, in the ${windowLabel}`} tone={breaker.shortCircuits > 0 ? "text-danger" : undefined} />
      </div>
      <StateStrip segments={breaker.segments} fromNs={fromNs} toNs={toNs} />
      <TransitionList transitions={breaker.transitions} windowLabel={windowLabel} />
    </article>
  );
}
