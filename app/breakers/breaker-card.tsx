import Link from "next/link";
import type { BreakerCard as BreakerCardData } from "../../server/breakers/schema.ts";
import { ServiceChip } from "../components/service-chip.tsx";
import { clockTime, percent, STATE_STYLE } from "./breaker-state.ts";
import { StateStrip } from "./state-strip.tsx";

function Figure({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="min-w-0">
      <div className="text-[11px] uppercase tracking-wide text-muted">{label}</div>
      <div className={`text-[15px] font-semibold tabular-nums ${tone ?? ""}`}>{value}</div>
    </div>
  );
}

/** One breaker: state now, rates and counts of the window, the state strip and its transitions. */
export function BreakerCard({ breaker, fromNs, toNs }: { breaker: BreakerCardData; fromNs: string; toNs: string }) {
  const style = STATE_STYLE[breaker.state];
  const recent = breaker.transitions.slice(-6).reverse();
  return (
    <article className="rounded-md border border-line bg-bg p-3" data-testid={`breaker-${breaker.key}`} aria-label={`breaker ${breaker.key}`}>
      <header className="mb-2 flex items-center gap-2">
        <ServiceChip name={breaker.service} />
        <span className="text-muted">→</span>
        <ServiceChip name={breaker.name} />
        <span data-testid="breaker-state" className={`ml-auto rounded px-2 py-0.5 text-[12px] font-bold tracking-wide ${style.badge}`}>
          {style.label}
        </span>
      </header>
      {breaker.lastReason && (
        <p className="mb-2 truncate text-muted" title={breaker.lastReason}>
          {breaker.stateSinceNs ? `since ${clockTime(breaker.stateSinceNs)}: ` : ""}
          {breaker.lastReason}
        </p>
      )}
      <div className="mb-3 grid grid-cols-5 gap-2">
        <Figure label="Error rate" value={percent(breaker.failureRate)} tone={breaker.failureRate >= 0.5 ? "text-danger" : undefined} />
        <Figure label="Slow calls" value={percent(breaker.slowCallRate)} tone={breaker.slowCallRate >= 0.5 ? "text-warn" : undefined} />
        <Figure label="Calls" value={String(breaker.calls)} />
        <Figure label="Failed" value={String(breaker.failures)} />
        <Figure label="Short-circuited" value={String(breaker.shortCircuits)} tone={breaker.shortCircuits > 0 ? "text-danger" : undefined} />
      </div>
      <StateStrip segments={breaker.segments} fromNs={fromNs} toNs={toNs} />
      {recent.length > 0 ? (
        <ol className="mt-2 space-y-0.5" aria-label="Transitions">
          {recent.map((t) => (
            <li key={t.spanId} className="flex items-baseline gap-2">
              <span className="w-20 shrink-0 text-muted tabular-nums">{clockTime(t.atNs)}</span>
              <span className={`shrink-0 font-medium ${STATE_STYLE[t.to].badge} rounded px-1 text-[11px]`}>
                {STATE_STYLE[t.from].label} → {STATE_STYLE[t.to].label}
              </span>
              <span className="min-w-0 flex-1 truncate text-muted" title={t.reason}>{t.reason}</span>
              <Link href={`/traces/${t.traceId}`} className="shrink-0 font-mono text-[12px] text-accent hover:underline" title="The trace of the call that caused this change">
                {t.traceId.slice(0, 8)}
              </Link>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-2 text-muted">No state changes in this window.</p>
      )}
    </article>
  );
}
