import { describe, expect, it } from "vitest";
import { DeadLetterPageInputSchema, pageSlice, parsePageParam } from "./paging.ts";

describe("pageSlice", () => {
  it("slices 10,000 rows into pages of 50", () => {
    expect(pageSlice(10_000, 1, 50)).toEqual({ page: 1, pages: 200, offset: 0, limit: 50 });
    expect(pageSlice(10_000, 200, 50)).toEqual({ page: 200, pages: 200, offset: 9_950, limit: 50 });
    expect(pageSlice(10_001, 201, 50)).toEqual({ page: 201, pages: 201, offset: 10_000, limit: 50 });
  });

  it("lands a page past the end on the last page, and an empty list on page 1 of 1", () => {
    expect(pageSlice(120, 9, 50)).toEqual({ page: 3, pages: 3, offset: 100, limit: 50 });
    expect(pageSlice(0, 4, 50)).toEqual({ page: 1, pages: 1, offset: 0, limit: 50 });
  });

  it("treats nonsense page numbers and sizes as the nearest sensible ones", () => {
    expect(pageSlice(100, 0, 50).page).toBe(1);
    expect(pageSlice(100, -3, 50).page).toBe(1);
    expect(pageSlice(100, Number.NaN, 50).page).toBe(1);
    expect(pageSlice(100, 2.7, 50).page).toBe(2);
    expect(pageSlice(100, 1, 0)).toMatchObject({ limit: 1, pages: 100 });
  });
});

describe("parsePageParam", () => {
  it("reads ?page= as a positive whole number, else 1", () => {
    expect(parsePageParam("3")).toBe(3);
    expect([null, undefined, "", "0", "-2", "2.5", "abc", "1e3", "99999999"].map(parsePageParam)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});

describe("DeadLetterPageInputSchema", () => {
  it("defaults to page 1 of 50 and refuses pages over 200 rows", () => {
    expect(DeadLetterPageInputSchema.parse({})).toEqual({ page: 1, pageSize: 50 });
    expect(DeadLetterPageInputSchema.safeParse({ pageSize: 201 }).success).toBe(false);
    expect(DeadLetterPageInputSchema.safeParse({ page: 0 }).success).toBe(false);
  });
});
