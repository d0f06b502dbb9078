import type { BreakerState } from "../../services/contracts/resilience.ts";

/** Label and colours of each breaker state, shared by the badge and the strip. */
export const STATE_STYLE: Record<BreakerState, { label: string; badge: string; bar: string }> = {
  closed: { label: "CLOSED", badge: "bg-ok-bg text-ok", bar: "bg-ok/70" },
  open: { label: "OPEN", badge: "bg-danger-bg text-danger", bar: "bg-danger/80" },
  half_open: { label: "HALF-OPEN", badge: "bg-warn-bg text-warn", bar: "bg-warn/80" },
};

/** A share as a whole percentage. */
export const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/** Wall-clock time of a Unix-ns timestamp, to the second. */
export function clockTime(ns: string): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toLocaleTimeString();
}

/** A breaker's own window length, short: `500 ms`, `10 s`, `1.5 s`, `2 min`. */
export function windowLength(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${ms / 60_000} min`;
}
