import { describe, expect, it } from "vitest";
import { BatcherFullError, SpanBatcher } from "./batcher.ts";
import type { StoredSpan } from "./types.ts";

const spans = (n: number) => Array.from({ length: n }, (_, i) => ({ spanId: String(i) }) as unknown as StoredSpan);

describe("SpanBatcher", () => {
  it("merges requests into batches of at most maxBatchSpans and resolves after the write", async () => {
    const writes: number[] = [];
    const b = new SpanBatcher(async (s) => void writes.push(s.length), { maxBatchSpans: 10, lingerMs: 5, maxConcurrentWrites: 1, maxPendingSpans: 1000 });
    await Promise.all([b.add(spans(4)), b.add(spans(4)), b.add(spans(4)), b.add(spans(25))]);
    expect(writes.reduce((a, n) => a + n, 0)).toBe(37);
    expect(Math.max(...writes)).toBeLessThanOrEqual(10);
    expect(b.pendingSpans).toBe(0);
  });

  it("rejects the requests of a failed write and refuses work above maxPendingSpans", async () => {
    const b = new SpanBatcher(async () => { throw new Error("db down"); }, { maxBatchSpans: 10, lingerMs: 1, maxConcurrentWrites: 1, maxPendingSpans: 5 });
    await expect(b.add(spans(3))).rejects.toThrow("db down");
    await expect(b.add(spans(6))).rejects.toBeInstanceOf(BatcherFullError);
  });

  it("flush writes pending spans without waiting for the linger", async () => {
    let written = 0;
    const b = new SpanBatcher(async (s) => void (written += s.length), { maxBatchSpans: 100, lingerMs: 60_000, maxConcurrentWrites: 2, maxPendingSpans: 1000 });
    const done = b.add(spans(3));
    await b.flush();
    await done;
    expect(written).toBe(3);
  });

  it("answers an export bigger than one batch at once, without waiting for another export", async () => {
    for (const n of [11, 25, 41]) {
      const writes: number[] = [];
      const b = new SpanBatcher(async (s) => void writes.push(s.length), { maxBatchSpans: 10, lingerMs: 5, maxConcurrentWrites: 2, maxPendingSpans: 1000 });
      const answered = await Promise.race([b.add(spans(n)).then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]);
      expect(answered, `${n} spans`).toBe(true);
      expect(writes.reduce((a, w) => a + w, 0)).toBe(n);
    }
  });

  it("reports the spans a write rejected to the export that sent them, and only to it", async () => {
    const bad = spans(1)[0]!;
    const b = new SpanBatcher(async (s) => new Set(s.filter((x) => x === bad)), { maxBatchSpans: 100, lingerMs: 5, maxConcurrentWrites: 1, maxPendingSpans: 1000 });
    const [withBad, clean] = await Promise.all([b.add([...spans(3), bad]), b.add(spans(4))]);
    expect(withBad).toEqual({ rejected: [bad] });
    expect(clean).toEqual({ rejected: [] });
  });
});
