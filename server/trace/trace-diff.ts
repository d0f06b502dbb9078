/**
 * Structural diff of two traces, as Jaeger's trace comparison does it: spans keyed by their
 * operation path (the chain of `service: operation` from the root, the flame graph's stack), and
 * per path the count and time in each trace. Pure; the compare page and the compare-styles page
 * both show it.
 */
import { z } from "zod";
import { buildFlameGraph, FRAME_SEPARATOR } from "./flame-graph.ts";
import type { SpanRow } from "./types.ts";

const SideSchema = z.object({
  count: z.number().int(),
  /** Sum of the path's span durations (total time). */
  totalNs: z.number(),
  meanNs: z.number(),
  selfNs: z.number(),
  errors: z.number().int(),
});
export type DiffSide = z.infer<typeof SideSchema>;

export const DiffStatusSchema = z.enum(["onlyA", "onlyB", "both"]);
export type DiffStatus = z.infer<typeof DiffStatusSchema>;

export const DiffRowSchema = z.object({
  /** Frames joined by ";" (the flame graph's path). */
  path: z.string(),
  service: z.string(),
  operation: z.string(),
  /** 0 for a root. */
  depth: z.number().int(),
  a: SideSchema.nullable(),
  b: SideSchema.nullable(),
  status: DiffStatusSchema,
  /** B minus A; a side without the path counts 0. */
  countDelta: z.number().int(),
  totalDeltaNs: z.number(),
  /** B's mean minus A's; null unless the path is in both. */
  meanDeltaNs: z.number().nullable(),
});
export type DiffRow = z.infer<typeof DiffRowSchema>;

export const TraceDiffSchema = z.object({
  rows: z.array(DiffRowSchema),
  onlyA: z.number().int(),
  onlyB: z.number().int(),
  /** Paths in both whose span count differs. */
  countChanged: z.number().int(),
  same: z.number().int(),
});
export type TraceDiff = z.infer<typeof TraceDiffSchema>;

type Stack = { service: string; operation: string; depth: number; side: DiffSide };

function stacksOf(rows: readonly SpanRow[]): Map<string, Stack> {
  const graph = buildFlameGraph(rows);
  const stacks = new Map<string, Stack>();
  for (const n of graph.nodes.slice(1)) {
    const side = { count: n.count, totalNs: n.totalNs, meanNs: n.totalNs / n.count, selfNs: n.selfNs, errors: n.errors };
    stacks.set(n.path, { service: n.service, operation: n.operation, depth: n.depth - 1, side });
  }
  return stacks;
}

/** Frame by frame, so a path sorts right after its parent and before the parent's next sibling. */
function comparePaths(x: string, y: string): number {
  const a = x.split(FRAME_SEPARATOR);
  const b = y.split(FRAME_SEPARATOR);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = a[i]!.localeCompare(b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Every operation path of trace A or B (each given as buildSpanTree rows) with its count, total,
 * mean and self time on each side and the change from A to B. Rows come in tree order (a path
 * after its parent); the input order of rows does not matter beyond parents coming first.
 */
export function diffTraces(a: readonly SpanRow[], b: readonly SpanRow[]): TraceDiff {
  const left = stacksOf(a);
  const right = stacksOf(b);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort(comparePaths);
  const rows = paths.map((path): DiffRow => {
    const l = left.get(path);
    const r = right.get(path);
    const any = (l ?? r)!;
    return {
      path,
      service: any.service,
      operation: any.operation,
      depth: any.depth,
      a: l?.side ?? null,
      b: r?.side ?? null,
      status: l && r ? "both" : l ? "onlyA" : "onlyB",
      countDelta: (r?.side.count ?? 0) - (l?.side.count ?? 0),
      totalDeltaNs: (r?.side.totalNs ?? 0) - (l?.side.totalNs ?? 0),
      meanDeltaNs: l && r ? r.side.meanNs - l.side.meanNs : null,
    };
  });
  const both = rows.filter((r) => r.status === "both");
  return {
    rows,
    onlyA: rows.filter((r) => r.status === "onlyA").length,
    onlyB: rows.filter((r) => r.status === "onlyB").length,
    countChanged: both.filter((r) => r.countDelta !== 0).length,
    same: both.filter((r) => r.countDelta === 0).length,
  };
}
