import Link from "next/link";
import type { BreakerSegment } from "../../server/breakers/schema.ts";
import { clockTime, STATE_STYLE } from "./breaker-state.ts";
import { transitionHref } from "./transition-list.tsx";

/** Position of `ns` within [fromNs, toNs] as a percentage. */
function position(ns: string, fromNs: bigint, span: bigint): number {
  if (span <= 0n) return 0;
  const offset = BigInt(ns) - fromNs;
  return Math.min(100, Math.max(0, Number((offset * 10_000n) / span) / 100));
}

/**
 * The breaker's state over the window as coloured stretches. A stretch that began with a
 * transition links to its span, in the trace of the call that caused it.
 */
export function StateStrip({ segments, fromNs, toNs }: { segments: BreakerSegment[]; fromNs: string; toNs: string }) {
  const from = BigInt(fromNs);
  const span = BigInt(toNs) - from;
  return (
    <div>
      <div className="relative h-4 overflow-hidden rounded-sm bg-hover" role="img" aria-label="State over time" data-testid="state-strip">
        {segments.map((segment) => {
          const left = position(segment.startNs, from, span);
          const width = Math.max(0.4, position(segment.endNs, from, span) - left);
          const style = STATE_STYLE[segment.state];
          const title = `${style.label} from ${clockTime(segment.startNs)}${segment.transition ? ` — ${segment.transition.reason}` : ""}`;
          const className = `absolute inset-y-0 ${style.bar} border-l border-bg/60`;
          const css = { left: `${left}%`, width: `${width}%` };
          return segment.transition ? (
            <Link key={segment.startNs} href={transitionHref(segment.transition)} title={title} className={`${className} hover:brightness-110`} style={css} />
          ) : (
            <span key={segment.startNs} title={title} className={className} style={css} />
          );
        })}
      </div>
      <div className="mt-0.5 flex justify-between text-[11px] text-muted tabular-nums">
        <span>{clockTime(fromNs)}</span>
        <span>now</span>
      </div>
    </div>
  );
}
