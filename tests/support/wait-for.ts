/**
 * The one way tests wait: poll a condition until it holds or a deadline passes. Tests never sleep
 * to synchronise (docs: CONVENTIONS "Tests"); they name what they wait for, so a timeout says
 * which condition never came true, after how long, and what the system printed meanwhile.
 */

/** What a probe answers while its condition does not hold yet. */
export type NotYet = undefined | null | false;

export type WaitOptions = {
  /** Deadline, counted from the call (default 20 s). */
  timeoutMs?: number;
  /** Pause between two probes (default 50 ms). */
  intervalMs?: number;
  /** Appended to the timeout error, e.g. the last lines the processes under test printed. */
  context?: () => string;
};

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_INTERVAL_MS = 50;

/**
 * Calls `probe` until it answers a value (anything but undefined, null or false) and resolves
 * that value. The probe runs at least once, and once more at the deadline, so a slow probe is
 * not cut short; an error it throws ends the wait at once (a failing probe is a failing test).
 * Past the deadline it throws `timed out after <ms> ms waiting for <what>`, plus the context.
 * A number is read as `{ timeoutMs }`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | NotYet | Promise<T | NotYet>,
  options: WaitOptions | number = {},
): Promise<T> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = DEFAULT_INTERVAL_MS, context } =
    typeof options === "number" ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) {
      const detail = context?.();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

/** A context for `waitFor`: the last `count` lines of `logs`, under a heading. */
export function lastLines(logs: readonly string[], count = 40): () => string {
  return () => `--- last process output ---\n${logs.slice(-count).join("\n")}`;
}
