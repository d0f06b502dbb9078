import { z } from "zod";

/** How analytics classifies an event: a flow started, a step succeeded or failed, or was undone. */
export const EventOutcomeSchema = z.enum(["started", "success", "failure", "compensation"]);
export type EventOutcome = z.infer<typeof EventOutcomeSchema>;

/** `analytics.getSummary`: event counts per order style, event name and outcome. */
export const EventCountSchema = z.object({
  style: z.string(),
  eventName: z.string(),
  outcome: EventOutcomeSchema,
  count: z.number().int(),
  lastEventAt: z.string(),
});
export type EventCount = z.infer<typeof EventCountSchema>;
export const GetSummaryOutputSchema = z.object({
  counts: z.array(EventCountSchema),
  /** Total events per style. */
  totalsByStyle: z.record(z.string(), z.number().int()),
});
export type AnalyticsSummary = z.infer<typeof GetSummaryOutputSchema>;
