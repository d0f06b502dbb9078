/**
 * Resolves when `url` answers with a non-5xx status; rejects after `deadlineMs` or when `signal`
 * aborts (Ctrl-C during start-up). Polls with a short growing delay until the deadline.
 */
export async function waitForHealthy(url: string, deadlineMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let lastProblem = "no answer yet";
  let delay = 50;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status < 500) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
  throw new Error(`${url} not healthy after ${deadlineMs} ms: ${lastProblem}`);
}
