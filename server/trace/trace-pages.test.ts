import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { buildSpanTree } from "./span-tree.ts";
import { mergeTracePages, type SpanPage } from "./trace-pages.ts";
import skewed from "./fixtures/clock-skew.json" with { type: "json" };
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

/** Spans in the store's page order (start time, then span id), cut into pages of `size`. */
function paginate(spans: readonly StoredSpan[], size: number, totalSpans = spans.length): SpanPage[] {
  const sorted = [...spans].sort((a, b) => {
    const byStart = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
    return byStart !== 0n ? (byStart < 0n ? -1 : 1) : a.spanId.localeCompare(b.spanId);
  });
  const pages: SpanPage[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const isLast = i + size >= sorted.length;
    pages.push({ spans: sorted.slice(i, i + size), totalSpans, nextCursor: isLast ? null : { after: i + size } });
  }
  return pages;
}

const skewedSpans = skewed as unknown as StoredSpan[];
const flowSpans = orderFlow as unknown as StoredSpan[];
const shape = (pages: SpanPage[]) => mergeTracePages(pages)!.tree.rows.map((r) => [r.key, r.depth, r.parentIndex, r.missingParentId]);

describe("mergeTracePages", () => {
  it("is null before the first page", () => {
    expect(mergeTracePages([])).toBeNull();
  });

  it("builds, from every page together, exactly the tree of the whole trace", () => {
    for (const spans of [skewedSpans, flowSpans]) {
      for (const size of [1, 2, 3, spans.length]) {
        const merged = mergeTracePages(paginate(spans, size))!;
        expect(merged.tree).toEqual(buildSpanTree(spans));
        expect(merged).toMatchObject({ loadedSpans: spans.length, totalSpans: spans.length, isComplete: true });
      }
    }
  });

  it("shows a span whose parent is on a later page as an orphan until that page arrives", () => {
    // The skewed consumer (…06) starts before its producer (…05), so it is read one page earlier.
    const pages = paginate(skewedSpans, 3);
    const first = mergeTracePages(pages.slice(0, 1))!;
    const consumer = first.tree.rows.find((r) => r.span.spanId === "b000000000000006")!;
    expect(consumer).toMatchObject({ depth: 0, missingParentId: "b000000000000005" });
    expect(first).toMatchObject({ loadedSpans: 3, totalSpans: 6, isComplete: false });

    const both = mergeTracePages(pages)!;
    const attached = both.tree.rows.find((r) => r.span.spanId === "b000000000000006")!;
    expect(attached.missingParentId).toBeNull();
    expect(both.tree.rows[attached.parentIndex]!.span.spanId).toBe("b000000000000005");
    expect(both.tree.issues.orphanCount).toBe(0);
  });

  it("does not depend on which page a span came in, only on the spans loaded", () => {
    expect(shape(paginate(flowSpans, 2))).toEqual(shape([{ spans: [...flowSpans].reverse(), totalSpans: 5, nextCursor: null }]));
  });

  it("reports the newest total, never fewer than the spans already loaded", () => {
    const pages = paginate(flowSpans, 2, 4);
    pages[1] = { ...pages[1]!, totalSpans: 9 };
    expect(mergeTracePages(pages.slice(0, 2))).toMatchObject({ loadedSpans: 4, totalSpans: 9, isComplete: false });
    expect(mergeTracePages(pages)).toMatchObject({ loadedSpans: 5, totalSpans: 9, isComplete: true });
  });
});
