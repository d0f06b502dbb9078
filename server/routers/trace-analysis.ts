import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { countTraceSpans, getTrace } from "../store/read.ts";
import { responseTimeNs, traceDurationNs } from "../trace/durations.ts";
import { buildSpanTree } from "../trace/span-tree.ts";
import { diffTraces, TraceDiffSchema } from "../trace/trace-diff.ts";
import type { SpanTree } from "../trace/types.ts";
import { publicProcedure, router } from "./trpc.ts";

/** Traces compared side by side at once. */
export const MAX_COMPARED_TRACES = 4;
/** Spans all compared traces may hold together; beyond, compare refuses before loading any. */
export const MAX_COMPARED_SPANS = 40_000;

const TraceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, "a trace id is 32 lower-case hex characters");

export const CompareTracesInputSchema = z.object({
  traceIds: z
    .array(TraceIdSchema)
    .max(MAX_COMPARED_TRACES, `compare at most ${MAX_COMPARED_TRACES} traces at a time`)
    .refine((ids) => new Set(ids).size === ids.length, "a trace is named twice")
    .refine((ids) => ids.length >= 2, "name at least two traces to compare"),
});

/** What the side-by-side columns show of one trace. */
export const ComparedTraceSchema = z.object({
  traceId: z.string(),
  rootName: z.string(),
  rootService: z.string(),
  services: z.array(z.string()),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  startNs: z.string(),
  /** See server/trace/durations.ts for both figures. */
  traceDurationNs: z.number(),
  responseTimeNs: z.number().nullable(),
});
export type ComparedTrace = z.infer<typeof ComparedTraceSchema>;

export const CompareTracesOutputSchema = z.object({
  /** The traces found, in the order asked. */
  traces: z.array(ComparedTraceSchema),
  /** Ids with no stored span. */
  missing: z.array(z.string()),
  /** Each trace after the first, diffed against the first (A = first, B = this one). */
  diffs: z.array(z.object({ traceId: z.string(), diff: TraceDiffSchema })),
});
export type CompareTracesOutput = z.infer<typeof CompareTracesOutputSchema>;

function describeTrace(traceId: string, tree: SpanTree): ComparedTrace {
  const root = tree.rows.find((r) => r.parentIndex < 0 && r.missingParentId === null) ?? tree.rows[0];
  return {
    traceId,
    rootName: root?.span.name ?? "",
    rootService: root?.span.serviceName ?? "",
    services: tree.services,
    spanCount: tree.rows.length,
    errorCount: tree.rows.filter((r) => r.span.status.code === "ERROR").length,
    startNs: tree.traceStartNs,
    traceDurationNs: traceDurationNs(tree.rows),
    responseTimeNs: responseTimeNs(tree.rows),
  };
}

/**
 * Pure builder behind `traceAnalysis.compare`: summaries of the trees found and the structural
 * diff of each against the first (none when fewer than two were found).
 */
export function compareTrees(found: readonly { traceId: string; tree: SpanTree }[], missing: string[]): CompareTracesOutput {
  const [first, ...rest] = found;
  return {
    traces: found.map(({ traceId, tree }) => describeTrace(traceId, tree)),
    missing,
    diffs: first ? rest.map(({ traceId, tree }) => ({ traceId, diff: diffTraces(first.tree.rows, tree.rows) })) : [],
  };
}

/** Analyses over whole traces: side-by-side compare with a structural diff. */
export const traceAnalysisRouter = router({
  compare: publicProcedure
    .input(CompareTracesInputSchema)
    .output(CompareTracesOutputSchema)
    .query(async ({ ctx, input }) => {
      const counts = await countTraceSpans(ctx.db, input.traceIds);
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      if (total > MAX_COMPARED_SPANS) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `The traces hold ${total.toLocaleString("en-US")} spans together; compare takes at most ${MAX_COMPARED_SPANS.toLocaleString("en-US")}. Open each trace's statistics or flame graph instead.`,
        });
      }
      const loaded = await Promise.all(input.traceIds.map(async (traceId) => ({ traceId, spans: await getTrace(ctx.db, traceId) })));
      const found = loaded.flatMap(({ traceId, spans }) => (spans ? [{ traceId, tree: buildSpanTree(spans) }] : []));
      return compareTrees(found, loaded.filter((l) => !l.spans).map((l) => l.traceId));
    }),
});
