/** Human duration from nanoseconds, three significant figures: "850 µs", "12.4 ms", "1.20 s". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return "–";
  if (ns < 1_000) return `${Math.round(ns)} ns`;
  const [value, unit] =
    ns < 1e6 ? [ns / 1e3, "µs"] : ns < 1e9 ? [ns / 1e6, "ms"] : ns < 60e9 ? [ns / 1e9, "s"] : [ns / 60e9, "min"];
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Relative time like "3 s ago" / "5 min ago" from a Unix-ns string, for list columns. */
export function formatAgo(unixNano: string, nowMs: number): string {
  const diffS = Math.max(0, Math.round((nowMs - nsToMs(unixNano)) / 1000));
  if (diffS < 60) return `${diffS} s ago`;
  if (diffS < 3600) return `${Math.floor(diffS / 60)} min ago`;
  if (diffS < 86_400) return `${Math.floor(diffS / 3600)} h ago`;
  return `${Math.floor(diffS / 86_400)} d ago`;
}

/** Unix-ns decimal string to epoch milliseconds (loses sub-ms precision, fine for display). */
export function nsToMs(unixNano: string): number {
  return /^\d+$/.test(unixNano) ? Number(BigInt(unixNano) / 1_000_000n) : Number.NaN;
}

/** Shortens a hex id for dense tables; the full id stays in the title/tooltip. */
export function shortId(id: string, length = 8): string {
  return id.length > length ? id.slice(0, length) : id;
}

/** Evenly spaced "nice" tick positions (1/2/5 x 10^n ns) for a time ruler of `durationNs`. */
export function rulerTicks(durationNs: number, maxTicks = 6): number[] {
  if (durationNs <= 0) return [0];
  const rough = durationNs / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = 0; t <= durationNs + step * 1e-9; t += step) ticks.push(t);
  return ticks;
}
