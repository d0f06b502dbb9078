import { z } from "zod";
import {
  DeadLetterReasonSchema,
  ReplayDeadLettersInputSchema,
  ReplayOutcomeSchema,
} from "../../services/contracts/index.ts";
import type { Replayer } from "../dlq/replay.ts";
import { loadDeadLetterSpans } from "../dlq/read.ts";
import { buildDeadLetterEntries } from "../dlq/reconstruct.ts";
import { getReplayer } from "../dlq/replayer.ts";
import { DeadLetterEntrySchema, type DeadLetterEntry } from "../dlq/types.ts";
import type { QueueAdmin } from "../queues/queue-admin.ts";
import { getQueueAdmin } from "../queues/queue-admin-instance.ts";
import { discardedIds } from "../queues/view-models.ts";
import { ActionOutcomesSchema } from "./queues.ts";
import { publicProcedure, router } from "./trpc.ts";

/** Filters of the dead-letter page, as they appear in its URL. */
export const ListDeadLettersInputSchema = z.object({
  queue: z.string().min(1).max(200).optional(),
  reason: DeadLetterReasonSchema.optional(),
  /** `yes`: only replayed ones; `no`: only those still waiting in the DLQ. */
  replayed: z.enum(["yes", "no"]).optional(),
  /** How many of the newest dead-letter/replay spans to rebuild from. */
  limit: z.number().int().min(1).max(2000).default(500),
});

const ListDeadLettersOutputSchema = z.object({
  items: z.array(DeadLetterEntrySchema),
  /** Every source queue seen (before filtering), for the queue filter. */
  queues: z.array(z.string()),
  /** Dead letters before filtering. */
  total: z.number().int(),
});

const TraceIdInputSchema = z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, "a trace id is 32 lower-case hex characters") });

function matches(entry: DeadLetterEntry, filters: z.infer<typeof ListDeadLettersInputSchema>): boolean {
  if (filters.queue && entry.sourceQueue !== filters.queue) return false;
  if (filters.reason && entry.reason !== filters.reason) return false;
  if (filters.replayed === "yes" && !entry.replay) return false;
  if (filters.replayed === "no" && entry.replay) return false;
  return true;
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
        const spans = await loadDeadLetterSpans(ctx.db, { limit: input.limit });
        // A discarded dead letter left the DLQ without a replay: its `discard` span says so.
        const discarded = discardedIds(spans);
        const entries = buildDeadLetterEntries(spans).filter((entry) => !discarded.has(entry.id));
        return {
          items: entries.filter((entry) => matches(entry, input)),
          queues: [...new Set(entries.map((entry) => entry.sourceQueue))].sort(),
          total: entries.length,
        };
      }),

    /** The dead letters a trace holds (its messages that were dead-lettered) or replays. */
    forTrace: publicProcedure
      .input(TraceIdInputSchema)
      .output(z.array(DeadLetterEntrySchema))
      .query(async ({ ctx, input }) =>
        buildDeadLetterEntries(await loadDeadLetterSpans(ctx.db, { limit: 1, traceId: input.traceId })).filter(
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
