import { EventOutcomeSchema, GetSummaryOutputSchema, type AnalyticsSummary } from "../contracts/index.ts";
import type { Db } from "./db.ts";
import { initServiceTrpc } from "../kit/trpc.ts";

const { router, procedure } = initServiceTrpc();

/** Every counter, plus the total per style. */
export async function getSummary(db: Db): Promise<AnalyticsSummary> {
  const rows = await db.eventCount.findMany({ orderBy: [{ style: "asc" }, { eventName: "asc" }] });
  const totalsByStyle: Record<string, number> = {};
  for (const row of rows) totalsByStyle[row.style] = (totalsByStyle[row.style] ?? 0) + row.count;
  return {
    counts: rows.map((row) => ({ ...row, outcome: EventOutcomeSchema.parse(row.outcome), lastEventAt: row.lastEventAt.toISOString() })),
    totalsByStyle,
  };
}

/** Analytics' tRPC router: `analytics.getSummary`. */
export function createAnalyticsRouter(db: Db) {
  return router({
    analytics: router({
      getSummary: procedure.output(GetSummaryOutputSchema).query(() => getSummary(db)),
    }),
  });
}

/** The router's type, for typed clients (dashboard). */
export type AnalyticsRouter = ReturnType<typeof createAnalyticsRouter>;
