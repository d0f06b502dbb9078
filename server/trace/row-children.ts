import type { SpanRow } from "./types.ts";

/** For each row, the indexes of its children in `rows` (from `parentIndex`), in row order. */
export function childIndexes(rows: readonly SpanRow[]): number[][] {
  const children = rows.map((): number[] => []);
  rows.forEach((row, i) => {
    if (row.parentIndex >= 0) children[row.parentIndex]!.push(i);
  });
  return children;
}
