import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getTracePage, listOperations, listServices, listTraces } from "../store/read.ts";
import { NanosSchema, StoredSpanSchema, TraceSummarySchema } from "../store/types.ts";
import { parseDuration, parseSearchQuery, SearchQueryError, type SearchQuery } from "../trace/search-query.ts";
import { buildSpanTree } from "../trace/span-tree.ts";
import { SpanTreeSchema } from "../trace/schema.ts";
import { publicProcedure, router } from "./trpc.ts";

/** Any name the collector stored can be filtered on: it caps no name, so this is only a sanity bound. */
const MAX_NAME = 4_096;

/** Relative time ranges of the trace search: traces that started within the last … */
export const SINCE_WINDOWS = { "5m": 5 * 60_000, "15m": 15 * 60_000, "1h": 3_600_000, "6h": 6 * 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export type SinceWindow = keyof typeof SINCE_WINDOWS;

const DurationSchema = z.string().trim().refine((text) => parseDuration(text) !== null, "a duration looks like 250ms, 1.5s or 2m (units ns, us, ms, s, m, h)");

/**
 * Filters of the trace list; `cursor` is the start time of the last row already shown. `search`
 * is the search box's text (grammar in server/trace/search-query.ts); the other fields are the
 * same filters as controls, ANDed with it.
 */
export const ListTracesInputSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: NanosSchema.nullish(),
  service: z.string().min(1).max(MAX_NAME).optional(),
  /** A span name; within `service` when both are given. */
  operation: z.string().min(1).max(MAX_NAME).optional(),
  hasError: z.boolean().optional(),
  search: z.string().trim().max(500).optional(),
  /** Trace duration bounds, e.g. `100ms`, `2s`. */
  minDuration: DurationSchema.optional(),
  maxDuration: DurationSchema.optional(),
  /** Only traces that started within this window before now. */
  since: z.enum(Object.keys(SINCE_WINDOWS) as [SinceWindow, ...SinceWindow[]]).optional(),
  /** Absolute range of trace start times (Unix ns, inclusive). */
  from: NanosSchema.optional(),
  to: NanosSchema.optional(),
  /** Only traces a chaos experiment affected (its id, e.g. `exp-1a2b3c4d`). */
  experimentId: z.string().regex(/^exp-[0-9a-f]{8}$/, "a chaos experiment id looks like exp-1a2b3c4d").optional(),
});
type ListTracesInput = z.infer<typeof ListTracesInputSchema>;

/** The search box text and the control fields as one query; bad text is a BAD_REQUEST saying why. */
function searchQueryOf(input: ListTracesInput): SearchQuery {
  let query: SearchQuery;
  try {
    query = parseSearchQuery(input.search ?? "");
  } catch (error) {
    if (error instanceof SearchQueryError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    throw error;
  }
  const min = input.minDuration === undefined ? undefined : parseDuration(input.minDuration)!;
  const max = input.maxDuration === undefined ? undefined : parseDuration(input.maxDuration)!;
  // A bound given both ways must hold both ways: keep the tighter one.
  const minDurationNs = Math.max(min ?? 0, query.minDurationNs ?? 0) || undefined;
  const maxDurationNs = Math.min(max ?? Infinity, query.maxDurationNs ?? Infinity);
  if (minDurationNs !== undefined && maxDurationNs < minDurationNs) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "the minimum duration is longer than the maximum: nothing can match" });
  }
  return { ...query, minDurationNs, maxDurationNs: Number.isFinite(maxDurationNs) ? maxDurationNs : undefined };
}

/** Lower bound of trace start (Unix ns) from `since` and `from`: the later of the two. */
function startFloorNs(input: ListTracesInput): string | undefined {
  const since = input.since === undefined ? undefined : (BigInt(Date.now() - SINCE_WINDOWS[input.since]) * 1_000_000n).toString();
  if (since === undefined || input.from === undefined) return since ?? input.from;
  return BigInt(since) > BigInt(input.from) ? since : input.from;
}

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
      const query = searchQueryOf(input);
      if (input.operation !== undefined) {
        // The operation control is scoped to the service control, as the box's `service:` and `op:`.
        if (query.operation !== undefined && query.operation !== input.operation) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `op:${query.operation} in the search box and the Operation control (${input.operation}) differ; clear one` });
        }
        query.operation = input.operation;
        query.service ??= input.service;
      }
      // One extra row tells whether an older page exists without a count query.
      const rows = await listTraces(ctx.db, {
        limit: input.limit + 1,
        beforeStartNs: input.cursor ?? undefined,
        service: input.service,
        hasError: input.hasError,
        experimentId: input.experimentId,
        afterStartNs: startFloorNs(input),
        startToNs: input.to,
        query,
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

  /** Whether any span of the trace is stored: the 404 page polls it (no HTTP 404 per poll). */
  stored: publicProcedure
    .input(GetTraceInputSchema.pick({ traceId: true }))
    .output(z.boolean())
    .query(async ({ ctx, input }) => {
      const [summary] = await listTraces(ctx.db, { limit: 1, search: input.traceId });
      return summary?.traceId === input.traceId;
    }),

  services: publicProcedure.output(z.array(z.string())).query(({ ctx }) => listServices(ctx.db)),

  /** Operations (span names) of a service, or of all services, from its newest traces. */
  operations: publicProcedure
    .input(z.object({ service: z.string().min(1).max(MAX_NAME).optional() }))
    .output(z.array(z.string()))
    .query(({ ctx, input }) => listOperations(ctx.db, input.service)),
});
