import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { OrderIdSchema } from "../../services/contracts/order.ts";
import { OrderStyleSchema, SagaRequestAnswerSchema, SagaRequestInputSchema, SagaStatusSchema } from "../../services/contracts/flow.ts";
import { buildSaga, buildSagas, DEFAULT_STUCK_AFTER_MS } from "../saga/build-saga.ts";
import { findSagaIdOfOrder, loadRecentSagaSpans, loadSagaSpans } from "../saga/read.ts";
import { SagaSchema, SagaSummarySchema } from "../saga/types.ts";
import { publicProcedure, router } from "./trpc.ts";

const SagaIdSchema = z.string().regex(/^[\w.:-]{1,128}$/, "a saga id is 1-128 letters, digits, '-', '_', '.' or ':'");
const StuckAfterSchema = z.number().int().min(1_000).max(24 * 3_600_000).default(DEFAULT_STUCK_AFTER_MS);

export const ListSagasInputSchema = z.object({
  limit: z.number().int().min(1).max(500).default(100),
  status: SagaStatusSchema.optional(),
  style: OrderStyleSchema.optional(),
  /** Substring of the saga id or order id. */
  search: z.string().trim().max(128).optional(),
  stuckAfterMs: StuckAfterSchema,
});

/** Sagas rebuilt from their stored spans (never from the order service's saga table). */
export const sagasRouter = router({
  list: publicProcedure
    .input(ListSagasInputSchema)
    /** `styles`: the order styles the listed sagas ran in, before filtering (what the style filter offers). */
    .output(z.object({ items: z.array(SagaSummarySchema), styles: z.array(z.string()), nowMs: z.number() }))
    .query(async ({ ctx, input }) => {
      const nowMs = Date.now();
      const spans = await loadRecentSagaSpans(ctx.db, input.limit);
      const search = input.search?.toLowerCase();
      const all = buildSagas(spans, { nowMs, stuckAfterMs: input.stuckAfterMs });
      const styles = [...new Set(all.flatMap((s) => (s.style ? [s.style] : [])))].sort();
      const items = all.filter(
        (s) =>
          (!input.status || s.status === input.status) &&
          (!input.style || s.style === input.style) &&
          (!search || s.sagaId.toLowerCase().includes(search) || (s.orderId ?? "").toLowerCase().includes(search)),
      );
      return { items, styles, nowMs };
    }),

  get: publicProcedure
    .input(z.object({ sagaId: SagaIdSchema, stuckAfterMs: StuckAfterSchema }))
    .output(z.object({ saga: SagaSchema, nowMs: z.number() }))
    .query(async ({ ctx, input }) => {
      const nowMs = Date.now();
      const saga = buildSaga(await loadSagaSpans(ctx.db, input.sagaId), { nowMs, stuckAfterMs: input.stuckAfterMs });
      if (!saga) throw new TRPCError({ code: "NOT_FOUND", message: `No spans are stored for saga ${input.sagaId}` });
      return { saga, nowMs };
    }),

  /**
   * A person's request about a running saga, through the gateway like every change the
   * dashboard makes: `cancel` (stop going forward, compensate now) or `retry` (try the waiting
   * step now). Idempotent: a second identical request answers `already-requested` and acts not.
   */
  request: publicProcedure
    .input(SagaRequestInputSchema)
    .output(SagaRequestAnswerSchema)
    .mutation(({ ctx, input }) => ctx.order.requestSaga(input)),

  /** The saga an order ran as, once its first saga span is stored. */
  ofOrder: publicProcedure
    .input(z.object({ orderId: OrderIdSchema }))
    .output(z.object({ sagaId: z.string().nullable() }))
    .query(async ({ ctx, input }) => ({ sagaId: await findSagaIdOfOrder(ctx.db, input.orderId) })),
});
