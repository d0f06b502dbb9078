/**
 * A small fixed latency histogram per edge and minute. Fixed bounds (not a sketch like DDSketch)
 * because rows must add up element-wise in SQL and in the graph builder; 16 buckets from 1 ms
 * to 30 s give percentiles within one bucket, enough for a map label.
 */

/** Upper bounds in milliseconds; one more bucket holds everything above the last bound. */
export const LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000] as const;
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** Index of the bucket a duration falls in. */
export function latencyBucket(durationUs: number): number {
  const ms = durationUs / 1000;
  for (let i = 0; i < LATENCY_BOUNDS_MS.length; i++) if (ms <= LATENCY_BOUNDS_MS[i]!) return i;
  return LATENCY_BOUNDS_MS.length;
}

/** An empty histogram. */
export const emptyHistogram = (): number[] => new Array<number>(LATENCY_BUCKETS).fill(0);

/** Adds `from` into `into` element-wise (missing entries count as 0). */
export function addHistogram(into: number[], from: readonly number[]): void {
  for (let i = 0; i < LATENCY_BUCKETS; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

/**
 * The upper bound (ms) of the bucket holding quantile `q` (0..1), capped by `maxMs` (the true
 * maximum is known exactly). Null for an empty histogram.
 */
export function histogramQuantile(hist: readonly number[], q: number, maxMs: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return Math.min(LATENCY_BOUNDS_MS[i] ?? maxMs, maxMs);
  }
  return maxMs;
}
