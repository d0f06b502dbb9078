import type { SpanRow } from "../../../server/trace/types.ts";

/**
 * Indices of the rows to draw when the subtrees of `collapsed` row keys are folded. Rows are in
 * pre-order, so a folded row's subtree is exactly the next `descendantCount` rows: O(n).
 */
export function visibleRowIndices(rows: readonly SpanRow[], collapsed: ReadonlySet<string>): number[] {
  const visible: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    visible.push(i);
    const row = rows[i]!;
    if (collapsed.has(row.key)) i += row.descendantCount;
  }
  return visible;
}

/** Keys of every ancestor of row `index`, so a span opened from a URL can be revealed. */
export function ancestorKeys(rows: readonly SpanRow[], index: number): string[] {
  const keys: string[] = [];
  let parent = rows[index]?.parentIndex ?? -1;
  while (parent >= 0) {
    const row = rows[parent]!;
    keys.push(row.key);
    parent = row.parentIndex;
  }
  return keys;
}
