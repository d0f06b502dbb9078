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

/** What an export learns once its spans were written: the spans the database refused (rare). */
export type AddResult = { rejected: StoredSpan[] };

/**
 * Writes `spans` atomically, or, when the database refused some of them, writes the rest and
 * returns the refused ones. Throws when nothing could be written (database unavailable).
 */
export type BatchWriter = (spans: StoredSpan[]) => Promise<ReadonlySet<StoredSpan> | void>;

type Entry = { spans: readonly StoredSpan[]; resolve: (rejected: StoredSpan[]) => void; reject: (err: unknown) => void };

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
    private readonly write: BatchWriter,
    private readonly opts: BatcherOptions,
  ) {}

  /** Number of spans accepted but not yet committed. */
  get pendingSpans(): number {
    return this.pending;
  }

  /**
   * Queues `spans`; resolves once all of them are committed (naming any the database refused),
   * rejects if their write failed. An export larger than one batch is split into batch-sized
   * chunks, each written as soon as a slot is free.
   */
  add(spans: readonly StoredSpan[]): Promise<AddResult> {
    if (spans.length === 0) return Promise.resolve({ rejected: [] });
    if (this.pending + spans.length > this.opts.maxPendingSpans) {
      return Promise.reject(new BatcherFullError(this.pending));
    }
    const chunks: Promise<StoredSpan[]>[] = [];
    for (let i = 0; i < spans.length; i += this.opts.maxBatchSpans) {
      const chunk = spans.slice(i, i + this.opts.maxBatchSpans);
      chunks.push(new Promise<StoredSpan[]>((resolve, reject) => this.queue.push({ spans: chunk, resolve, reject })));
      this.pending += chunk.length;
      this.queued += chunk.length;
    }
    this.schedule();
    return Promise.all(chunks).then((rejected) => ({ rejected: rejected.flat() }));
  }

  /** Writes everything pending now (ignoring the linger) and resolves when nothing is in flight. */
  async flush(): Promise<void> {
    this.lingerExpired = true;
    this.pump();
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Full batches are written at once; a partial batch waits at most `lingerMs` for more spans.
   * The linger timer is armed whenever something is left queued (also after a pump that wrote full
   * batches: the tail of a big export must not wait for an unrelated export to arm it).
   */
  private schedule(): void {
    if (this.queued >= this.opts.maxBatchSpans) this.pump();
    else this.armLinger();
  }

  private armLinger(): void {
    if (this.timer !== null || this.lingerExpired || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lingerExpired = true;
      this.pump();
    }, this.opts.lingerMs);
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
    } else {
      this.armLinger();
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
      const refused = (await this.write(spans)) ?? new Set<StoredSpan>();
      for (const e of batch) e.resolve(refused.size === 0 ? [] : e.spans.filter((span) => refused.has(span)));
    } catch (err) {
      for (const e of batch) e.reject(err);
    } finally {
      this.pending -= spans.length;
      this.inFlight--;
      this.pump();
    }
  }
}
