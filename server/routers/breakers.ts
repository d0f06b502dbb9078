import { z } from "zod";
import { buildBreakers } from "../breakers/build-breakers.ts";
import { loadBreakerSpans } from "../breakers/read.ts";
import { BreakersViewSchema } from "../breakers/schema.ts";
import { publicProcedure, router } from "./trpc.ts";

const NS_PER_MS = 1_000_000n;

/** The breakers page's window: the last `minutes`, ending now. */
export const ListBreakersInputSchema = z.object({
  minutes: z.number().int().min(1).max(24 * 60).default(15),
  /** Newest breaker spans read at most (counts are partial beyond, and say so). */
  limit: z.number().int().min(100).max(200_000).default(50_000),
});

/** Circuit breakers rebuilt from stored spans (attempt and state-change spans of the window). */
export const breakersRouter = router({
  list: publicProcedure
    .input(ListBreakersInputSchema)
    .output(BreakersViewSchema)
    .query(async ({ ctx, input }) => {
      const toNs = BigInt(Date.now()) * NS_PER_MS;
      const fromNs = toNs - BigInt(input.minutes) * 60_000n * NS_PER_MS;
      const { spans, truncated } = await loadBreakerSpans(ctx.db, { fromNs, toNs, limit: input.limit });
      return { fromNs: fromNs.toString(), toNs: toNs.toString(), breakers: buildBreakers(spans, { fromNs, toNs }), truncated };
    }),
});
