/**
 * Folds every committed span batch into the service-map aggregates (telemetry.edge_minutes,
 * telemetry.instance_minutes) so the map never scans spans.
 *
 * Late arrivals. A SERVER span usually reaches the collector BEFORE its parent CLIENT span (the
 * server ends first, and each process exports on its own schedule), so the aggregator keeps:
 * - `recent`: span id -> (service, kind) of the last `maxRecentSpans` spans at most (two
 *   generations, see recent-spans.ts), the parents later spans look up; it also drops exporter retries (a span id
 *   already folded is not folded again).
 * - waiting SERVER and CONSUMER spans, by parent span id: claimed as soon as the parent arrives;
 *   after `holdMs` (or when too many wait) their parents are looked up in telemetry.spans in one
 *   query (parents older than `recent`, or stored before a restart); never found -> no sync edge,
 *   and a consumer is drawn from its own queue (its producer names the topic when known).
 * - unclaimed CLIENT spans: when no SERVER span claims one within `holdMs`, it becomes an edge to
 *   its peer (uninstrumented or unreachable server).
 * Spans arriving after their minute still land in their own minute (the upsert adds to it).
 * Sums are written every `flushIntervalMs` in one upsert per table; a failed write keeps its sums
 * for the next flush. What is only in memory (at most one flush interval plus the hold) is lost
 * if the process dies without `close()`; the spans themselves are already committed.
 */
import type pg from "pg";
import type { StoredSpan } from "../store/types.ts";
import { EdgeAccumulator, InstanceAccumulator } from "./accumulator.ts";
import { childEdge, deriveEdges, peerEdge, refOf } from "./span-edges.ts";
import { RecentSpans } from "./recent-spans.ts";
import { SPAN_KINDS } from "../store/types.ts";
import { deleteAggregatesBefore, findSpanServices, upsertEdgeMinutes, upsertInstanceMinutes } from "./store.ts";

export type AggregatorOptions = {
  flushIntervalMs: number;
  holdMs: number;
  maxRecentSpans: number;
  /** Most waiting SERVER/CONSUMER spans and unclaimed CLIENT spans kept (each). */
  maxPending: number;
  /** Aggregate rows older than this are deleted (checked hourly). */
  retentionMs: number;
  now?: () => number;
  onError?: (message: string, err: unknown) => void;
};

type Held = { span: StoredSpan; since: number };
const HOUR_MS = 3_600_000;

/** Stateful ingest-time aggregator; `fold` after each commit, `start` / `close` around its life. */
export class ServiceMapAggregator {
  private readonly recent: RecentSpans;
  private readonly waiting = new Map<string, Held[]>();
  private waitingCount = 0;
  private readonly unclaimed = new Map<string, Held>();
  /** Parents in the current fold that claimed SERVER spans held from earlier batches. */
  private readonly claimedEarly = new Set<string>();
  private readonly edges = new EdgeAccumulator();
  private readonly instances = new InstanceAccumulator();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastRetentionMs = 0;
  private readonly now: () => number;
  /** SERVER spans whose parent was never found (no edge drawn). */
  orphanServers = 0;

  constructor(private readonly pool: pg.Pool, private readonly opts: AggregatorOptions) {
    this.now = opts.now ?? Date.now;
    this.recent = new RecentSpans(opts.maxRecentSpans);
  }

  /** Folds a committed batch into the in-memory sums (synchronous, no I/O). */
  fold(spans: readonly StoredSpan[]): void {
    const fresh = spans.filter((s) => !this.recent.has(s.spanId));
    const now = this.now();
    for (const span of fresh) {
      this.remember(span);
      this.instances.add(span);
      this.claimWaiting(span);
    }
    const derived = deriveEdges(fresh, (id) => this.recent.get(id));
    for (const sample of derived.samples) this.edges.add(sample);
    for (const id of derived.claimedParents) this.unclaimed.delete(id);
    for (const span of derived.waitingChildren) this.hold(span, now);
    for (const span of derived.unclaimedClients) {
      if (!this.claimedEarly.delete(span.spanId)) this.unclaimed.set(span.spanId, { span, since: now });
    }
    this.claimedEarly.clear();
    this.enforceBounds();
  }

  private remember(span: StoredSpan): void {
    this.recent.set(span.spanId, refOf(span));
  }

  private claimWaiting(parent: StoredSpan): void {
    const held = this.waiting.get(parent.spanId);
    if (!held) return;
    this.waiting.delete(parent.spanId);
    this.waitingCount -= held.length;
    this.claimedEarly.add(parent.spanId);
    this.unclaimed.delete(parent.spanId);
    const ref = refOf(parent);
    for (const { span } of held) {
      const edge = childEdge(span, ref);
      if (edge) this.edges.add(edge);
    }
  }

  private hold(span: StoredSpan, now: number): void {
    const key = span.parentSpanId!;
    const list = this.waiting.get(key);
    if (list) list.push({ span, since: now });
    else this.waiting.set(key, [{ span, since: now }]);
    this.waitingCount++;
  }

  /** Beyond the bounds, the oldest unclaimed clients become peer edges now (servers: at flush). */
  private enforceBounds(): void {
    while (this.unclaimed.size > this.opts.maxPending) {
      const [id, held] = this.unclaimed.entries().next().value!;
      this.unclaimed.delete(id);
      this.addPeerEdge(held.span);
    }
  }

  private addPeerEdge(span: StoredSpan): void {
    const edge = peerEdge(span);
    if (edge) this.edges.add(edge);
  }

  /** Waiting SERVER spans due for a database lookup: held too long, or beyond the bound. */
  private takeDueServers(cutoff: number): Held[] {
    const due: Held[] = [];
    let excess = this.waitingCount - this.opts.maxPending;
    for (const [parentId, held] of this.waiting) {
      if (held[0]!.since > cutoff && excess <= 0) continue;
      this.waiting.delete(parentId);
      this.waitingCount -= held.length;
      excess -= held.length;
      due.push(...held);
    }
    return due;
  }

  private async resolveThroughDb(due: Held[]): Promise<void> {
    if (due.length === 0) return;
    const keys = due.map(({ span }) => ({ traceId: span.traceId, spanId: span.parentSpanId! }));
    const found = await findSpanServices(this.pool, keys);
    for (const { span } of due) {
      const row = found.get(span.parentSpanId!);
      if (!row && span.kind === "SERVER") this.orphanServers++;
      const parent = row && { service: row.service, kind: SPAN_KINDS[row.kind] ?? "UNSPECIFIED", destination: row.destination ?? undefined };
      const edge = childEdge(span, parent);
      if (edge) this.edges.add(edge);
    }
  }

  private expireClients(cutoff: number): void {
    for (const [id, held] of this.unclaimed) {
      if (held.since > cutoff) break; // insertion order = arrival order
      this.unclaimed.delete(id);
      this.addPeerEdge(held.span);
    }
  }

  private async flushOnce(final: boolean): Promise<void> {
    const cutoff = final ? Infinity : this.now() - this.opts.holdMs;
    try {
      await this.resolveThroughDb(this.takeDueServers(cutoff));
    } catch (err) {
      this.opts.onError?.("service map: parent lookup failed", err);
    }
    this.expireClients(cutoff);
    const edges = this.edges.drain();
    const instances = this.instances.drain();
    try {
      await upsertEdgeMinutes(this.pool, edges);
    } catch (err) {
      this.edges.merge(edges);
      this.opts.onError?.("service map: writing edge aggregates failed", err);
    }
    try {
      await upsertInstanceMinutes(this.pool, instances);
    } catch (err) {
      this.instances.merge(instances);
      this.opts.onError?.("service map: writing instance aggregates failed", err);
    }
    await this.enforceRetention();
  }

  private async enforceRetention(): Promise<void> {
    const now = this.now();
    if (now - this.lastRetentionMs < HOUR_MS) return;
    this.lastRetentionMs = now;
    await deleteAggregatesBefore(this.pool, now - this.opts.retentionMs).catch((err: unknown) =>
      this.opts.onError?.("service map: retention failed", err));
  }

  /** Writes what is due now (tests call it to avoid waiting for the timer). */
  flush(final = false): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce(final));
    return this.flushing;
  }

  /** Starts the periodic flush. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes everything, resolving what still waits. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush(true);
  }
}
