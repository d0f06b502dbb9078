/**
 * A trace as a sequence diagram (see build-flow.ts): services as lanes, one row per step in
 * time order. Offsets are ns from the trace's first span.
 */
import { z } from "zod";

export const FlowLaneSchema = z.object({
  name: z.string(),
  /** `service`: spans of it are in the trace; `external`: only named by a caller (db, peer). */
  kind: z.enum(["service", "external"]),
});
export type FlowLane = z.infer<typeof FlowLaneSchema>;

export const FlowStepSchema = z.object({
  key: z.string(),
  /** call: synchronous request (solid); return: its answer; message: asynchronous (dashed). */
  kind: z.enum(["call", "return", "message"]),
  /** Lane indexes; null = outside the trace (caller not recorded, consumer not in this trace). */
  from: z.number().int().nullable(),
  to: z.number().int().nullable(),
  label: z.string(),
  /** The span to open when the step is clicked (client/server or producer/consumer). */
  spanId: z.string(),
  offsetNs: z.number(),
  /** Call: client duration. Message: send until the consumer started (queue time). */
  durationNs: z.number(),
  isError: z.boolean(),
  /** Identical consecutive steps folded into this one. */
  count: z.number().int(),
  /** A call with nothing in between its request and answer: the return is drawn in the same row. */
  hasInlineReturn: z.boolean(),
  conversationId: z.string().nullable(),
  role: z.enum(["request", "reply"]).nullable(),
  pattern: z.string().nullable(),
});
export type FlowStep = z.infer<typeof FlowStepSchema>;

export const FlowStatsSchema = z.object({
  spanCount: z.number().int(),
  /** Sync calls between two different services (not to databases or from outside the trace). */
  syncCalls: z.number().int(),
  asyncMessages: z.number().int(),
  /** Calls and messages between two different services. */
  hops: z.number().int(),
  /** Wall time covered by at least one cross-service sync call (union of intervals). */
  syncNs: z.number(),
  /** Wall time covered by at least one message in flight or being consumed. */
  asyncNs: z.number(),
  errorCount: z.number().int(),
  durationNs: z.number(),
});
export type FlowStats = z.infer<typeof FlowStatsSchema>;

/** A request/reply exchange joined by its conversation (correlation) id. */
export const FlowPairSchema = z.object({
  conversationId: z.string(),
  requestKey: z.string().nullable(),
  replyKey: z.string().nullable(),
  /** Request sent until reply consumed, when both are in the trace. */
  roundTripNs: z.number().nullable(),
});
export type FlowPair = z.infer<typeof FlowPairSchema>;

export const FlowSchema = z.object({
  traceId: z.string(),
  startNs: z.string(),
  lanes: z.array(FlowLaneSchema),
  steps: z.array(FlowStepSchema),
  pairs: z.array(FlowPairSchema),
  stats: FlowStatsSchema,
});
export type Flow = z.infer<typeof FlowSchema>;
