import { describe, expect, it } from "vitest";
import { rangeText } from "./range-text.ts";

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("rangeText", () => {
  it("names the rows of the page, the matching total and, with a filter, every dead letter", () => {
    expect(rangeText({ items: rows(50), total: 10_000, all: 10_000, page: 1, pageSize: 50 }, false)).toBe("1–50 of 10,000 dead letters");
    expect(rangeText({ items: rows(50), total: 9_998, all: 10_000, page: 2, pageSize: 50 }, true)).toBe("51–100 of 9,998 matching · 10,000 dead letters in all");
  });

  it("ends the last page at the total and says 0 for none", () => {
    expect(rangeText({ items: rows(48), total: 9_998, all: 9_998, page: 200, pageSize: 50 }, false)).toBe("9,951–9,998 of 9,998 dead letters");
    expect(rangeText({ items: [], total: 0, all: 12, page: 1, pageSize: 50 }, true)).toBe("0 of 0 matching · 12 dead letters in all");
  });
});
