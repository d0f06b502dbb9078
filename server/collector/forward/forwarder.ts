/**
 * Forwarding: every export the span store accepted is sent on, asynchronously, to another OTLP/HTTP
 * endpoint (Jaeger, Tempo, an OpenTelemetry Collector). Local ingest never waits for it: an
 * accepted export is appended to a bounded buffer ({@link ForwardBuffer}) and one sender drains it,
 * retrying with exponential backoff (Retry-After honoured on 429/503) while the remote is away.
 * What overflow drops and what the remote refuses is counted in {@link ForwardingStatus}.
 * Written here: the OTLP exporters re-encode SDK span objects (we hold encoded bodies) and
 * retry a few times within one export, not across an outage.
 */
import { ForwardBuffer, type DropCount, type ForwardItem } from "./buffer.ts";
import { parseRemoteAnswer } from "./remote-answer.ts";

/** What the collector and the dashboard show about forwarding. */
export type ForwardingStatus = {
  enabled: true;
  /** The remote endpoint, without credentials or query. */
  url: string;
  /** `retrying` while the last attempt failed and the next one is scheduled. */
  state: "idle" | "sending" | "retrying";
  bufferedSpans: number;
  bufferedBytes: number;
  forwardedSpans: number;
  /** Spans dropped unsent: the buffer was full (oldest first), or still held at shutdown. */
  droppedSpans: number;
  /** Spans the remote refused for good (a non-retryable status such as 400, or partial_success). */
  failedSpans: number;
  /** Failed attempts that were retried. */
  retries: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastForwardAt: string | null;
};

export type ForwarderOptions = {
  url: string;
  headers: Record<string, string>;
  maxSpans: number;
  maxBytes: number;
  retryMinMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  logError: (message: string, err?: unknown) => void;
};

/** Protobuf exports waiting in line are sent together up to this size (see {@link Forwarder.takeBatch}). */
const MERGE_MAX_BYTES = 4 * 1024 * 1024;
const MERGE_MAX_SPANS = 8192;
const RETRYABLE = new Set([408, 429, 502, 503, 504]);

/** One request: the exports it merges (put back one by one on a retry, so overflow still drops the oldest first). */
type Batch = { item: ForwardItem; parts: ForwardItem[] };

type Outcome = { kind: "ok"; refused: number } | { kind: "retry"; error: string; retryAfterMs: number | null } | { kind: "fail"; error: string };

/** Delay before retry `attempt` (1-based): exponential, half of it jittered, capped at `maxMs`. */
export function backoffMs(attempt: number, minMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function displayUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** Sends buffered exports to one remote OTLP/HTTP endpoint, one request at a time. */
export class Forwarder {
  private readonly buffer: ForwardBuffer;
  private readonly counts = { forwardedSpans: 0, droppedSpans: 0, failedSpans: 0, retries: 0 };
  private lastError: { message: string; at: string } | null = null;
  private lastForwardAt: string | null = null;
  private inFlight: AbortController | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ForwarderOptions) {
    this.buffer = new ForwardBuffer({ maxSpans: options.maxSpans, maxBytes: options.maxBytes });
  }

  /** Queues one accepted export; never throws, never waits. */
  enqueue(item: ForwardItem): void {
    if (this.closed || item.spans === 0) return;
    this.countDropped(this.buffer.push(item));
    this.pump();
  }

  status(): ForwardingStatus {
    return {
      enabled: true,
      url: displayUrl(this.options.url),
      state: this.retryTimer ? "retrying" : this.inFlight ? "sending" : "idle",
      bufferedSpans: this.buffer.spans,
      bufferedBytes: this.buffer.bytes,
      ...this.counts,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
      lastForwardAt: this.lastForwardAt,
    };
  }

  /**
   * Stops taking exports and keeps sending what is buffered for up to `drainMs`; whatever is
   * still unsent then is dropped (and counted).
   */
  async close(drainMs: number): Promise<void> {
    this.closed = true;
    if (this.buffer.length > 0 || this.inFlight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs))),
      ]);
      clearTimeout(timer);
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.inFlight?.abort();
    this.countDropped(this.buffer.clear());
  }

  private countDropped(dropped: DropCount): void {
    if (dropped.spans === 0) return;
    this.counts.droppedSpans += dropped.spans;
  }

  private pump(): void {
    if (this.inFlight || this.retryTimer) return;
    const batch = this.takeBatch();
    if (!batch) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    const controller = new AbortController();
    this.inFlight = controller;
    void this.send(batch.item, controller.signal).then((outcome) => {
      this.inFlight = null;
      this.settle(batch, outcome);
      this.pump();
    });
  }

  /**
   * The oldest export, with the protobuf exports right behind it appended: concatenated
   * ExportTraceServiceRequest messages are one valid message whose resource_spans are all of
   * theirs (protobuf merges repeated fields), so many small exports become one request.
   */
  private takeBatch(): Batch | undefined {
    const first = this.buffer.shift();
    if (!first) return undefined;
    const parts = [first];
    if (first.contentType !== "application/x-protobuf") return { item: first, parts };
    let bytes = first.body.byteLength;
    let spans = first.spans;
    for (;;) {
      const next = this.buffer.shift();
      if (!next) break;
      if (next.contentType !== first.contentType || bytes + next.body.byteLength > MERGE_MAX_BYTES || spans + next.spans > MERGE_MAX_SPANS) {
        this.buffer.unshift(next);
        break;
      }
      parts.push(next);
      bytes += next.body.byteLength;
      spans += next.spans;
    }
    if (parts.length === 1) return { item: first, parts };
    return { item: { body: Buffer.concat(parts.map((p) => p.body), bytes), contentType: first.contentType, spans }, parts };
  }

  private settle({ item, parts }: Batch, outcome: Outcome): void {
    const at = new Date().toISOString();
    if (outcome.kind === "ok") {
      this.attempt = 0;
      this.counts.forwardedSpans += item.spans - outcome.refused;
      this.counts.failedSpans += outcome.refused;
      this.lastForwardAt = at;
      if (outcome.refused > 0) this.lastError = { message: `remote refused ${outcome.refused} span(s)`, at };
      return;
    }
    this.lastError = { message: outcome.error, at };
    if (outcome.kind === "fail") {
      this.attempt = 0;
      this.counts.failedSpans += item.spans;
      this.options.logError(`forwarding: ${item.spans} span(s) refused by ${displayUrl(this.options.url)}: ${outcome.error}`);
      return;
    }
    this.counts.retries++;
    this.attempt++;
    // Newest first, so when newer exports took the room it is the oldest that do not fit.
    for (let i = parts.length - 1; i >= 0; i--) this.countDropped(this.buffer.unshift(parts[i]!));
    if (this.closed && this.buffer.length === 0) return;
    const backoff = backoffMs(this.attempt, this.options.retryMinMs, this.options.retryMaxMs);
    const delay = Math.min(this.options.retryMaxMs, outcome.retryAfterMs ?? backoff);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, delay);
    this.retryTimer.unref();
  }

  private async send(item: ForwardItem, signal: AbortSignal): Promise<Outcome> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const res = await fetch(this.options.url, {
        method: "POST",
        headers: { ...this.options.headers, "content-type": item.contentType },
        body: item.body as Uint8Array<ArrayBuffer>, // a Buffer of node:http or Buffer.concat: never a SharedArrayBuffer
        signal: AbortSignal.any([signal, timeout]),
      });
      const answer = new Uint8Array(await res.arrayBuffer());
      if (res.ok) return { kind: "ok", refused: parseRemoteAnswer(answer, res.headers.get("content-type")) };
      const error = `HTTP ${res.status}${answer.byteLength > 0 ? `: ${Buffer.from(answer.subarray(0, 200)).toString("utf8")}` : ""}`;
      if (RETRYABLE.has(res.status)) return { kind: "retry", error, retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
      return { kind: "fail", error };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = timeout.aborted ? `no answer within ${this.options.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
      return { kind: "retry", error: `cannot reach the remote: ${reason}`, retryAfterMs: null };
    }
  }
}
