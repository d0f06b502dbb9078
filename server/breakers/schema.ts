import { z } from "zod";
import { BREAKER_STATES } from "../../services/contracts/index.ts";
import { NanosSchema } from "../store/types.ts";

const Nanos = NanosSchema;
const StateSchema = z.enum(BREAKER_STATES);

/** One state change, linking to the trace (and span) of the call that caused it. */
export const BreakerTransitionViewSchema = z.object({
  from: StateSchema,
  to: StateSchema,
  reason: z.string(),
  atNs: Nanos,
  traceId: z.string(),
  spanId: z.string(),
  /** Rates the breaker saw in its own sliding window (not the page's) when it changed state. */
  failureRate: z.number().nullable(),
  slowCallRate: z.number().nullable(),
  /** Calls in the breaker's own sliding window at that moment. */
  windowCalls: z.number().int().nullable(),
  /** Length of that sliding window (ms, `app.breaker.window_ms`); null from senders that omit it. */
  windowMs: z.number().int().positive().nullable(),
});
export type BreakerTransitionView = z.infer<typeof BreakerTransitionViewSchema>;

/** A stretch of the strip: the breaker held `state` from `startNs` to `endNs`. */
export const BreakerSegmentSchema = z.object({
  state: StateSchema,
  startNs: Nanos,
  endNs: Nanos,
  /** The transition that started this stretch (null for the first one or a process restart). */
  transition: BreakerTransitionViewSchema.nullable(),
});
export type BreakerSegment = z.infer<typeof BreakerSegmentSchema>;

/** One breaker (a caller service's breaker for one dependency) as the breakers page shows it. */
export const BreakerCardSchema = z.object({
  key: z.string(),
  service: z.string(),
  name: z.string(),
  state: StateSchema,
  /** When the current state began, if a transition in the window says so. */
  stateSinceNs: Nanos.nullable(),
  lastReason: z.string().nullable(),
  calls: z.number().int(),
  failures: z.number().int(),
  slowCalls: z.number().int(),
  shortCircuits: z.number().int(),
  failureRate: z.number(),
  slowCallRate: z.number(),
  /**
   * The breaker's own sliding window (ms) as its newest span in the page's window says
   * (`app.breaker.window_ms`): the breaker decides over this, the card's rates over the page's window.
   */
  breakerWindowMs: z.number().int().positive().nullable(),
  /** Trace of the most recent call, for "see a call". */
  lastTraceId: z.string().nullable(),
  segments: z.array(BreakerSegmentSchema),
  /** Every transition in the window, oldest first (read apart from the call spans: never cut off). */
  transitions: z.array(BreakerTransitionViewSchema),
});
export type BreakerCard = z.infer<typeof BreakerCardSchema>;

export const BreakersViewSchema = z.object({
  fromNs: Nanos,
  toNs: Nanos,
  breakers: z.array(BreakerCardSchema),
  /** True when the window held more breaker spans than were read (counts are then partial). */
  truncated: z.boolean(),
});
export type BreakersView = z.infer<typeof BreakersViewSchema>;
