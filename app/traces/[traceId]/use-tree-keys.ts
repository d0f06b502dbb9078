"use client";
import type { KeyboardEvent } from "react";
import type { SpanTree } from "../../../server/trace/types.ts";

type Options = {
  tree: SpanTree;
  /** Row indices currently drawn, in order. */
  visible: number[];
  selectedKey: string | null;
  collapsed: ReadonlySet<string>;
  onSelect: (key: string | null) => void;
  toggle: (key: string) => void;
  scrollToIndex: (visibleIndex: number) => void;
};

/**
 * Keyboard use of the waterfall, as in a tree view: ↑/↓ move the selection, ← folds (or goes
 * to the parent), → unfolds, Esc closes the details.
 */
export function useTreeKeys({ tree, visible, selectedKey, collapsed, onSelect, toggle, scrollToIndex }: Options) {
  return (event: KeyboardEvent<HTMLDivElement>) => {
    const position = visible.findIndex((i) => tree.rows[i]!.key === selectedKey);
    const row = position >= 0 ? tree.rows[visible[position]!]! : undefined;
    const moveTo = (next: number) => {
      const clamped = Math.max(0, Math.min(visible.length - 1, next));
      const target = tree.rows[visible[clamped]!];
      if (!target) return;
      onSelect(target.key);
      scrollToIndex(clamped);
    };
    const actions: Record<string, () => void> = {
      ArrowDown: () => moveTo(position + 1),
      ArrowUp: () => moveTo(position < 0 ? 0 : position - 1),
      ArrowLeft: () => {
        if (!row) return;
        if (row.childCount > 0 && !collapsed.has(row.key)) toggle(row.key);
        else if (row.parentIndex >= 0) moveTo(visible.indexOf(row.parentIndex));
      },
      ArrowRight: () => {
        if (row && collapsed.has(row.key)) toggle(row.key);
      },
      Escape: () => onSelect(null),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };
}
