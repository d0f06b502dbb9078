import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../../../server/store/types.ts";
import orderFlow from "../../../server/trace/fixtures/order-flow.json" with { type: "json" };
import { buildSpanTree } from "../../../server/trace/span-tree.ts";
import { ancestorKeys, visibleRowIndices } from "./visible-rows.ts";

const { rows } = buildSpanTree(orderFlow as unknown as StoredSpan[]);
const keyOf = (name: string, nth = 0) => rows.filter((r) => r.span.name === name)[nth]!.key;

describe("visibleRowIndices", () => {
  it("shows everything when nothing is collapsed", () => {
    expect(visibleRowIndices(rows, new Set())).toEqual([0, 1, 2, 3, 4]);
  });

  it("hides exactly the subtree of a collapsed row", () => {
    expect(visibleRowIndices(rows, new Set([keyOf("inventory.reserveStock")]))).toEqual([0, 1, 3, 4]);
    expect(visibleRowIndices(rows, new Set([rows[0]!.key]))).toEqual([0]);
  });
});

describe("ancestorKeys", () => {
  it("walks up to the root", () => {
    expect(ancestorKeys(rows, 4)).toEqual([rows[3]!.key, rows[0]!.key]);
    expect(ancestorKeys(rows, 0)).toEqual([]);
  });
});
