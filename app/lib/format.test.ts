import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration, rulerTicks } from "./format.ts";

describe("formatDuration", () => {
  it.each([
    [500, "500 ns"],
    [850_000, "850 µs"],
    [12_400_000, "12.4 ms"],
    [1_200_000_000, "1.20 s"],
    [-1, "–"],
  ])("%d ns -> %s", (ns, text) => expect(formatDuration(ns)).toBe(text));
});

describe("formatAgo", () => {
  it("counts from the given clock", () => {
    const nowMs = 1_763_800_100_000;
    expect(formatAgo("1763800095000000000", nowMs)).toBe("5 s ago");
    expect(formatAgo("1763799980000000000", nowMs)).toBe("2 min ago");
  });
});

describe("rulerTicks", () => {
  it("picks round steps that cover the whole trace", () => {
    expect(rulerTicks(57_000_000)).toEqual([0, 1e7, 2e7, 3e7, 4e7, 5e7]);
    expect(rulerTicks(0)).toEqual([0]);
  });
});
