/**
 * Bounded memory of recently folded spans (span id -> service, kind) as two generations of Maps:
 * when the young generation is full it becomes the old one and the previous old one is dropped.
 * Why not one Map evicting its oldest key: V8 leaves deleted entries as holes at the front of a
 * Map, so `keys().next()` after many deletions walks them all (measured: fold fell from ~200k to
 * ~18k spans/s). Two generations keep every operation O(1) and hold between max/2 and max entries.
 */
import type { SpanRef } from "./span-edges.ts";

export class RecentSpans {
  private young = new Map<string, SpanRef>();
  private old = new Map<string, SpanRef>();
  private readonly generationSize: number;

  constructor(maxEntries: number) {
    this.generationSize = Math.max(1, Math.floor(maxEntries / 2));
  }

  get(spanId: string): SpanRef | undefined {
    return this.young.get(spanId) ?? this.old.get(spanId);
  }

  has(spanId: string): boolean {
    return this.young.has(spanId) || this.old.has(spanId);
  }

  set(spanId: string, ref: SpanRef): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(spanId, ref);
  }
}
