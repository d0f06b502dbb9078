import { z } from "zod";
import {
  DeadLetterReasonSchema,
  ReplayDeadLettersInputSchema,
  ReplayOutcomeSchema,
} from "../../services/contracts/index.ts";
import type { Replayer } from "../dlq/replay.ts";
import { loadDeadLetterPageIds } from "../dlq/page-query.ts";
import { DeadLetterPageInputSchema } from "../dlq/paging.ts";
import { loadDeadLetterSpans } from "../dlq/read.ts";
import { buildDeadLetterEntries } from "../dlq/reconstruct.ts";
import { getReplayer } from "../dlq/replayer.ts";
import { DeadLetterEntrySchema, type DeadLetterEntry } from "../dlq/types.ts";
import type { QueueAdmin } from "../queues/queue-admin.ts";
import { getQueueAdmin } from "../queues/queue-admin-instance.ts";
import { ActionOutcomesSchema } from "./queues.ts";
import { publicProcedure, router } from "./trpc.ts";

/** Filters and page of the dead-letter page, as they appear in its URL. */
export const ListDeadLettersInputSchema = DeadLetterPageInputSchema.extend({
  /** A source queue name (any OTLP sender may name one: up to 1,000 characters). */
  queue: z.string().min(1).max(1000).optional(),
  reason: DeadLetterReasonSchema.optional(),
  /** `yes`: only replayed ones; `no`: only those still waiting in the DLQ. */
  replayed: z.enum(["yes", "no"]).optional(),
});

const ListDeadLettersOutputSchema = z.object({
  /** The page's dead letters, newest first. */
  items: z.array(DeadLetterEntrySchema),
  /** Every source queue seen (before filtering), for the queue filter. */
  queues: z.array(z.string()),
  /** Dead letters matching the filters (every page). */
  total: z.number().int(),
  /** Dead letters before filtering. */
  all: z.number().int(),
  /** The page shown (the asked one, clamped to the last), of `pages`. */
  page: z.number().int(),
  pages: z.number().int(),
  pageSize: z.number().int(),
});

const TraceIdInputSchema = z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, "a trace id is 32 lower-case hex characters") });

/** The entries of `ids`, in that order (a replay trace may also hold other, newer dead letters). */
function inPageOrder(entries: readonly DeadLetterEntry[], ids: readonly string[]): DeadLetterEntry[] {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Dead letters rebuilt from spans, and replay. `replay` is a mutation (POST): it changes state
 * and is idempotent per dead letter (see server/dlq/replay.ts).
 */
export function createDeadLettersRouter(replayer: () => Replayer, queueAdmin: () => QueueAdmin = getQueueAdmin) {
  return router({
    list: publicProcedure
      .input(ListDeadLettersInputSchema)
      .output(ListDeadLettersOutputSchema)
      .query(async ({ ctx, input }) => {
        // PostgreSQL filters, counts and slices (discarded ones excluded); Node rebuilds one page.
        const { ids, ...page } = await loadDeadLetterPageIds(ctx.db, input, input.page, input.pageSize);
        const spans = await loadDeadLetterSpans(ctx.db, { ids });
        const { page: at, pages, limit: pageSize, total, all, queues } = page;
        return { items: inPageOrder(buildDeadLetterEntries(spans), ids), queues, total, all, page: at, pages, pageSize };
      }),

    /** The dead letters a trace holds (its messages that were dead-lettered) or replays. */
    forTrace: publicProcedure
      .input(TraceIdInputSchema)
      .output(z.array(DeadLetterEntrySchema))
      .query(async ({ ctx, input }) =>
        buildDeadLetterEntries(await loadDeadLetterSpans(ctx.db, { traceId: input.traceId })).filter(
          (entry) => entry.traceId === input.traceId || entry.replay?.traceId === input.traceId,
        ),
      ),

    replay: publicProcedure
      .input(ReplayDeadLettersInputSchema)
      .output(z.array(ReplayOutcomeSchema))
      .mutation(({ input }) => replayer().replay(input.ids)),

    /** Removes dead letters from the DLQ without replaying them (one `discard dead-letters` span each). */
    discard: publicProcedure
      .input(ReplayDeadLettersInputSchema)
      .output(ActionOutcomesSchema)
      .mutation(({ input }) => queueAdmin().discardDeadLetters(input.ids)),
  });
}

/** The dashboard's dead-letter API, replaying through the process-wide replayer. */
export const deadLettersRouter = createDeadLettersRouter(getReplayer);
