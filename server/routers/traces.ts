import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getTracePage, listServices, listTraces } from "../store/read.ts";
import { NanosSchema, StoredSpanSchema, TraceSummarySchema } from "../store/types.ts";
import { buildSpanTree } from "../trace/span-tree.ts";
import { SpanTreeSchema } from "../trace/schema.ts";
import { publicProcedure, router } from "./trpc.ts";

/** Filters of the trace list; `cursor` is the start time of the last row already shown. */
export const ListTracesInputSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: NanosSchema.nullish(),
  service: z.string().min(1).max(128).optional(),
  hasError: z.boolean().optional(),
  search: z.string().trim().max(200).optional(),
  /** Only traces a chaos experiment affected (its id, e.g. `exp-1a2b3c4d`). */
  experimentId: z.string().regex(/^exp-[0-9a-f]{8}$/, "a chaos experiment id looks like exp-1a2b3c4d").optional(),
});

const ListTracesOutputSchema = z.object({
  items: z.array(TraceSummarySchema),
  nextCursor: NanosSchema.nullable(),
});

/** Most spans one `traces.get` answers; a bigger trace is read in pages of at most this many. */
export const MAX_TRACE_PAGE_SPANS = 2_000;

/** Where the next page of a trace starts: the last span's start time and span id. */
const TraceCursorSchema = z.object({ startNs: NanosSchema, spanId: z.string().regex(/^[0-9a-f]{16}$/) });

const GetTraceInputSchema = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/, "a trace id is 32 lower-case hex characters"),
  /** `tree` for the waterfall (rows in display order), `spans` for the raw spans. */
  view: z.enum(["tree", "spans"]).default("tree"),
  limit: z.number().int().min(1).max(MAX_TRACE_PAGE_SPANS).default(MAX_TRACE_PAGE_SPANS),
  /** `nextCursor` of the previous page; absent for the first. */
  cursor: TraceCursorSchema.nullish(),
});

/** Paging facts shared by both views: `nextCursor` is null on the trace's last page. */
const pageFields = { traceId: z.string(), totalSpans: z.number().int(), nextCursor: TraceCursorSchema.nullable() };

const GetTraceOutputSchema = z.discriminatedUnion("view", [
  z.object({ view: z.literal("tree"), tree: SpanTreeSchema, ...pageFields }),
  z.object({ view: z.literal("spans"), spans: z.array(StoredSpanSchema), ...pageFields }),
]);

/** Trace list, one trace, and the services seen so far: everything the trace pages read. */
export const tracesRouter = router({
  list: publicProcedure
    .input(ListTracesInputSchema)
    .output(ListTracesOutputSchema)
    .query(async ({ ctx, input }) => {
      // One extra row tells whether an older page exists without a count query.
      const rows = await listTraces(ctx.db, {
        limit: input.limit + 1,
        beforeStartNs: input.cursor ?? undefined,
        service: input.service,
        hasError: input.hasError,
        search: input.search || undefined,
        experimentId: input.experimentId,
      });
      const items = rows.slice(0, input.limit);
      const hasMore = rows.length > input.limit;
      return { items, nextCursor: hasMore ? (items[items.length - 1]?.startTimeUnixNano ?? null) : null };
    }),

  /**
   * One page of a trace, spans by start time then id. The `tree` view is the tree of that page
   * alone (a span whose parent is on another page shows as an orphan): a caller that wants the
   * whole tree of a big trace pages through `spans` and builds it with buildSpanTree, as the
   * trace page does.
   */
  get: publicProcedure
    .input(GetTraceInputSchema)
    .output(GetTraceOutputSchema)
    .query(async ({ ctx, input }) => {
      const page = await getTracePage(ctx.db, input.traceId, { limit: input.limit, after: input.cursor });
      if (!page) throw new TRPCError({ code: "NOT_FOUND", message: `No trace with id ${input.traceId}` });
      const { spans, totalSpans, nextCursor } = page;
      const paging = { traceId: input.traceId, totalSpans, nextCursor };
      if (input.view === "spans") return { view: "spans" as const, spans, ...paging };
      return { view: "tree" as const, tree: buildSpanTree(spans), ...paging };
    }),

  summary: publicProcedure
    .input(GetTraceInputSchema.pick({ traceId: true }))
    .output(TraceSummarySchema)
    .query(async ({ ctx, input }) => {
      // The search matches trace id prefixes; a full 32-hex id can only match itself.
      const [summary] = await listTraces(ctx.db, { limit: 1, search: input.traceId });
      if (!summary || summary.traceId !== input.traceId) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No trace with id ${input.traceId}` });
      }
      return summary;
    }),

  services: publicProcedure.output(z.array(z.string())).query(({ ctx }) => listServices(ctx.db)),
});
