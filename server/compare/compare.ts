/**
 * Side-by-side figures of the same order placed under several styles (the compare view). Every
 * duration is one of server/trace/durations.ts: order time, response time, trace duration, sync
 * and async time. `latencyNs` ranks the styles: the order time when the order is known, else the
 * trace duration.
 */
import { z } from "zod";
import { isTerminalOrderStatus, type Order } from "../../services/contracts/order.ts";
import type { Flow } from "../flow/types.ts";
import type { StoredSpan } from "../store/types.ts";
import { orderTimeMs, responseTimeOfSpans } from "../trace/durations.ts";

export const CompareRowSchema = z.object({
  traceId: z.string(),
  orderId: z.string().nullable(),
  style: z.string().nullable(),
  /** Order status (COMPLETED, COMPENSATED, ...) or, without an order, `error`/`ok` from the spans. */
  outcome: z.string(),
  latencyNs: z.number().nullable(),
  latencySource: z.enum(["order", "trace"]),
  /** Order time (null without a terminal order), response time (null without the spans), trace duration: see durations.ts. */
  orderTimeNs: z.number().nullable(),
  responseTimeNs: z.number().nullable(),
  traceDurationNs: z.number(),
  hops: z.number().int(),
  syncCalls: z.number().int(),
  asyncMessages: z.number().int(),
  syncNs: z.number(),
  asyncNs: z.number(),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  serviceCount: z.number().int(),
});
export type CompareRow = z.infer<typeof CompareRowSchema>;

/** `spans` (the trace's stored spans) give the response time; without them it is null. */
export type CompareEntry = { traceId: string; flow: Flow; order: Order | null; spans?: readonly StoredSpan[] };

function orderTimeNs(order: Order | null): number | null {
  const ms = order ? orderTimeMs(order) : null;
  return ms === null ? null : ms * 1_000_000;
}

/** One row per trace, in the order given. */
export function compareFlows(entries: readonly CompareEntry[]): CompareRow[] {
  return entries.map(({ traceId, flow, order, spans }) => {
    const fromOrder = orderTimeNs(order);
    const isPending = order !== null && !isTerminalOrderStatus(order.status);
    return {
      traceId,
      orderId: order?.id ?? null,
      style: order?.style ?? null,
      outcome: order?.status ?? (flow.stats.errorCount > 0 ? "error" : "ok"),
      latencyNs: fromOrder ?? (isPending ? null : flow.stats.durationNs),
      latencySource: fromOrder !== null ? "order" : "trace",
      orderTimeNs: fromOrder,
      responseTimeNs: spans ? responseTimeOfSpans(spans) : null,
      traceDurationNs: flow.stats.durationNs,
      hops: flow.stats.hops,
      syncCalls: flow.stats.syncCalls,
      asyncMessages: flow.stats.asyncMessages,
      syncNs: flow.stats.syncNs,
      asyncNs: flow.stats.asyncNs,
      spanCount: flow.stats.spanCount,
      errorCount: flow.stats.errorCount,
      serviceCount: flow.lanes.filter((l) => l.kind === "service").length,
    };
  });
}

/** Index of the row with the lowest value of `pick` (ties: the first), or -1. */
export function bestIndex(rows: readonly CompareRow[], pick: (row: CompareRow) => number | null): number {
  let best = -1;
  rows.forEach((row, i) => {
    const v = pick(row);
    const current = best >= 0 ? pick(rows[best]!) : null;
    if (v !== null && (current === null || v < current)) best = i;
  });
  return best;
}
