/**
 * Accumulates spans from many export requests into few large writes. Each `add` resolves only
 * after the batch holding its spans committed, so the HTTP answer never acknowledges a span
 * that could still be lost.
 */
import type { StoredSpan } from "./types.ts";

/** Tuning knobs; see server/collector/env.ts for the defaults. */
export type BatcherOptions = {
  /** A batch is written as soon as this many spans are pending. */
  maxBatchSpans: number;
  /** ...or this long after the first pending span arrived. */
  lingerMs: number;
  /** Writes in flight at once (<= DB pool size). */
  maxConcurrentWrites: number;
  /** Above this many pending spans `add` refuses work (the sender retries later). */
  maxPendingSpans: number;
};

type Entry = { spans: readonly StoredSpan[]; resolve: () => void; reject: (err: unknown) => void };

/** Thrown by `add` when the store is saturated; maps to HTTP 503 + Retry-After. */
export class BatcherFullError extends Error {
  constructor(pending: number) {
    super(`span store saturated (${pending} spans pending)`);
    this.name = "BatcherFullError";
  }
}

/** Batches span writes; `write` must write all given spans atomically. */
export class SpanBatcher {
  private queue: Entry[] = [];
  private pending = 0;
  /** Spans in `queue` (pending minus in flight). */
  private queued = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private lingerExpired = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly write: (spans: StoredSpan[]) => Promise<void>,
    private readonly opts: BatcherOptions,
  ) {}

  /** Number of spans accepted but not yet committed. */
  get pendingSpans(): number {
    return this.pending;
  }

  /** Queues `spans`; resolves once all of them are committed, rejects if their write failed. */
  add(spans: readonly StoredSpan[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    if (this.pending + spans.length > this.opts.maxPendingSpans) {
      return Promise.reject(new BatcherFullError(this.pending));
    }
    const chunks: Promise<void>[] = [];
    for (let i = 0; i < spans.length; i += this.opts.maxBatchSpans) {
      const chunk = spans.slice(i, i + this.opts.maxBatchSpans);
      chunks.push(new Promise<void>((resolve, reject) => this.queue.push({ spans: chunk, resolve, reject })));
      this.pending += chunk.length;
      this.queued += chunk.length;
    }
    this.schedule();
    return chunks.length === 1 ? chunks[0]! : Promise.all(chunks).then(() => undefined);
  }

  /** Writes everything pending now (ignoring the linger) and resolves when nothing is in flight. */
  async flush(): Promise<void> {
    this.lingerExpired = true;
    this.pump();
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.queued >= this.opts.maxBatchSpans) {
      this.pump();
    } else if (this.timer === null && !this.lingerExpired) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.lingerExpired = true;
        this.pump();
      }, this.opts.lingerMs);
    }
  }

  /** Starts writes while there is capacity and a full batch (or an expired linger). */
  private pump(): void {
    while (this.inFlight < this.opts.maxConcurrentWrites && this.queue.length > 0) {
      if (!this.lingerExpired && this.queued < this.opts.maxBatchSpans) break;
      void this.writeBatch(this.takeBatch());
    }
    if (this.queue.length === 0) {
      this.lingerExpired = false;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inFlight === 0 && this.queue.length === 0) this.idleWaiters.splice(0).forEach((w) => w());
  }

  private takeBatch(): Entry[] {
    const batch: Entry[] = [];
    let size = 0;
    while (this.queue.length > 0 && size + this.queue[0]!.spans.length <= this.opts.maxBatchSpans) {
      const entry = this.queue.shift()!;
      size += entry.spans.length;
      this.queued -= entry.spans.length;
      batch.push(entry);
    }
    return batch;
  }

  private async writeBatch(batch: Entry[]): Promise<void> {
    this.inFlight++;
    const spans = batch.flatMap((e) => e.spans);
    try {
      await this.write(spans);
      for (const e of batch) e.resolve();
    } catch (err) {
      for (const e of batch) e.reject(err);
    } finally {
      this.pending -= spans.length;
      this.inFlight--;
      this.pump();
    }
  }
}
