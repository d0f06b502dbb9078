import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Order } from "../../services/contracts/order.ts";
import { OrderIdSchema } from "../../services/contracts/order.ts";
import { Attr } from "../../services/contracts/semconv.ts";
import { compareFlows, CompareRowSchema } from "../compare/compare.ts";
import { buildFlow } from "../flow/build-flow.ts";
import { FlowSchema, type Flow } from "../flow/types.ts";
import { getTrace } from "../store/read.ts";
import type { StoredSpan } from "../store/types.ts";
import type { DashboardContext } from "./trpc.ts";
import { publicProcedure, router } from "./trpc.ts";

const TraceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, "a trace id is 32 lower-case hex characters");

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

export const CompareInputSchema = z
  .object({
    traces: z.array(TraceIdSchema).max(8).optional(),
    orders: z.array(OrderIdSchema).max(8).optional(),
  })
  .refine((v) => (v.traces?.length ?? 0) + (v.orders?.length ?? 0) > 0, "name at least one trace or order to compare");

/** Sequence diagrams of traces, and the compare view built from them. */
export const flowsRouter = router({
  get: publicProcedure
    .input(z.object({ traceId: TraceIdSchema }))
    .output(FlowSchema)
    .query(async ({ ctx, input }) => (await loadFlow(ctx, input.traceId)).flow),

  compare: publicProcedure
    .input(CompareInputSchema)
    .output(z.object({ rows: z.array(CompareRowSchema), flows: z.array(FlowSchema), missing: z.array(z.string()) }))
    .query(async ({ ctx, input }) => {
      const missing: string[] = [];
      const fromOrders = await Promise.all(
        (input.orders ?? []).map(async (orderId) => {
          const order = await tryGetOrder(ctx, orderId);
          if (!order?.traceId) missing.push(orderId);
          return order?.traceId ? { traceId: order.traceId, order } : null;
        }),
      );
      const targets = [...fromOrders.filter((t) => t !== null), ...(input.traces ?? []).map((traceId) => ({ traceId, order: undefined }))];
      const entries = await Promise.all(
        targets.map(async ({ traceId, order }) => {
          try {
            const { flow, spans } = await loadFlow(ctx, traceId);
            return { traceId, flow, order: order === undefined ? await tryGetOrder(ctx, orderIdIn(spans)) : order };
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
