import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Order } from "../../services/contracts/order.ts";
import { OrderIdSchema } from "../../services/contracts/order.ts";
import { Attr } from "../../services/contracts/semconv.ts";
import { compareFlows, CompareRowSchema } from "../compare/compare.ts";
import { buildFlow } from "../flow/build-flow.ts";
import { FlowSchema, type Flow } from "../flow/types.ts";
import { countTraceSpans, getTrace } from "../store/read.ts";
import type { StoredSpan } from "../store/types.ts";
import type { DashboardContext } from "./trpc.ts";
import { publicProcedure, router } from "./trpc.ts";

const TraceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, "a trace id is 32 lower-case hex characters");

/** Flows compared at once: the Compare page's "place in every style" makes four orders. */
export const MAX_COMPARE_FLOWS = 4;
/**
 * Spans all compared traces may hold together. Above it compare refuses (BAD_REQUEST) rather
 * than comparing summaries only: real orders have tens of spans, so only a hostile or broken
 * trace gets here, and a second, summary-only answer shape would be a code path for it alone.
 */
export const MAX_COMPARE_SPANS = 10_000;
/** Spans one flow diagram is built from; a bigger trace is read in the waterfall, page by page. */
export const MAX_FLOW_SPANS = 20_000;

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Refuses (BAD_REQUEST, with `refusal`'s message) before loading anything when `traceIds` hold more
 * than `max` spans together; counts come from the trace summaries, ids not stored count 0.
 */
async function assertSpanBudget(ctx: DashboardContext, traceIds: readonly string[], max: number, refusal: (total: string, max: string) => string) {
  const counts = await countTraceSpans(ctx.db, traceIds);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total > max) throw new TRPCError({ code: "BAD_REQUEST", message: refusal(fmt(total), fmt(max)) });
}

async function loadFlow(ctx: DashboardContext, traceId: string): Promise<{ flow: Flow; spans: StoredSpan[] }> {
  const spans = await getTrace(ctx.db, traceId);
  if (!spans || spans.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: `No trace with id ${traceId}` });
  return { flow: buildFlow(traceId, spans), spans };
}

function orderIdIn(spans: readonly StoredSpan[]): string | null {
  for (const s of spans) {
    const id = s.attributes[Attr.ORDER_ID];
    if (typeof id === "string" && OrderIdSchema.safeParse(id).success) return id;
  }
  return null;
}

/** The order, or null when the order service does not know it (or is down: the spans still compare). */
async function tryGetOrder(ctx: DashboardContext, orderId: string | null): Promise<Order | null> {
  if (!orderId) return null;
  try {
    return await ctx.order.getOrder({ orderId });
  } catch {
    return null;
  }
}

/** Repeats of an id are one flow: `?traces=a,a,a` compares a single trace. */
const unique = <T>(items: T[]) => [...new Set(items)];

export const CompareInputSchema = z
  .object({
    // The raw lists are bounded too, so a hostile URL cannot make the dedupe itself expensive.
    traces: z.array(TraceIdSchema).max(32).transform(unique).optional(),
    orders: z.array(OrderIdSchema).max(32).transform(unique).optional(),
  })
  .refine((v) => (v.traces?.length ?? 0) + (v.orders?.length ?? 0) > 0, "name at least one trace or order to compare")
  .refine(
    (v) => (v.traces?.length ?? 0) + (v.orders?.length ?? 0) <= MAX_COMPARE_FLOWS,
    `compare at most ${MAX_COMPARE_FLOWS} different traces or orders at a time`,
  );

type Target = { traceId: string; order: Order | undefined };

/** Orders resolved to their traces, then the named traces; one target per distinct trace id. */
async function resolveTargets(ctx: DashboardContext, input: z.infer<typeof CompareInputSchema>, missing: string[]): Promise<Target[]> {
  const fromOrders = await Promise.all(
    (input.orders ?? []).map(async (orderId) => {
      const order = await tryGetOrder(ctx, orderId);
      if (!order?.traceId) missing.push(orderId);
      return order?.traceId ? { traceId: order.traceId, order } : null;
    }),
  );
  const all = [...fromOrders.filter((t) => t !== null), ...(input.traces ?? []).map((traceId) => ({ traceId, order: undefined }))];
  // First occurrence wins, so an order's trace keeps its order (style, latency) when also named.
  const byTrace = new Map<string, Target>();
  for (const target of all) if (!byTrace.has(target.traceId)) byTrace.set(target.traceId, target);
  return [...byTrace.values()];
}

/** Sequence diagrams of traces, and the compare view built from them. */
export const flowsRouter = router({
  get: publicProcedure
    .input(z.object({ traceId: TraceIdSchema }))
    .output(FlowSchema)
    .query(async ({ ctx, input }) => {
      await assertSpanBudget(ctx, [input.traceId], MAX_FLOW_SPANS, (total, max) =>
        `This trace holds ${total} spans; a flow is drawn from at most ${max}. Its waterfall loads it in pages.`);
      return (await loadFlow(ctx, input.traceId)).flow;
    }),

  compare: publicProcedure
    .input(CompareInputSchema)
    .output(z.object({ rows: z.array(CompareRowSchema), flows: z.array(FlowSchema), missing: z.array(z.string()) }))
    .query(async ({ ctx, input }) => {
      const missing: string[] = [];
      const targets = await resolveTargets(ctx, input, missing);
      await assertSpanBudget(ctx, targets.map((t) => t.traceId), MAX_COMPARE_SPANS, (total, max) =>
        `The traces to compare hold ${total} spans together; compare takes at most ${max}. Open each trace's waterfall instead.`);
      const entries = await Promise.all(
        targets.map(async ({ traceId, order }) => {
          try {
            const { flow, spans } = await loadFlow(ctx, traceId);
            return { traceId, flow, spans, order: order === undefined ? await tryGetOrder(ctx, orderIdIn(spans)) : order };
          } catch (error) {
            if (error instanceof TRPCError && error.code === "NOT_FOUND") missing.push(traceId);
            else throw error;
            return null;
          }
        }),
      );
      const found = entries.filter((e) => e !== null);
      return { rows: compareFlows(found), flows: found.map((e) => e.flow), missing };
    }),
});
