/**
 * A saga as rebuilt from its stored spans (see build-saga.ts). Times are Unix ns as decimal
 * strings for absolute instants and plain numbers (ns) for offsets from the saga's start.
 */
import { z } from "zod";
import { SagaStatusSchema } from "../../services/contracts/flow.ts";

/** `waiting`: the step's last attempt got no answer and the orchestrator tries it again later. */
export const SagaStepStateSchema = z.enum(["pending", "running", "waiting", "succeeded", "failed", "compensated"]);
export type SagaStepState = z.infer<typeof SagaStepStateSchema>;

/** One `saga.execute` or `saga.compensate` span. `outcome` null: the span has no outcome (crashed mid-step). */
export const SagaAttemptSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  action: z.enum(["execute", "compensate"]),
  outcome: z.enum(["succeeded", "failed"]).nullable(),
  reason: z.string().nullable(),
  offsetNs: z.number(),
  durationNs: z.number(),
  isError: z.boolean(),
  /** A compensation whose participant found nothing to undo (`app.undo.noop`): the step never took effect. */
  noop: z.boolean().default(false),
  /** Which attempt at the step (`app.saga.step.attempt`; null on spans from before it was recorded). */
  attempt: z.number().int().nullable().default(null),
  /** After an attempt without an answer: when the next one is due (epoch ms), null when none is. */
  nextAttemptAtMs: z.number().nullable().default(null),
});
export type SagaAttempt = z.infer<typeof SagaAttemptSchema>;

export const SagaStepViewSchema = z.object({
  name: z.string(),
  index: z.number().int(),
  state: SagaStepStateSchema,
  executions: z.array(SagaAttemptSchema),
  compensations: z.array(SagaAttemptSchema),
});
export type SagaStepView = z.infer<typeof SagaStepViewSchema>;

/** start / resume / end of the saga, and people's requests (cancel, retry), placed on its timeline. */
export const SagaMarkerSchema = z.object({
  kind: z.enum(["start", "resume", "end", "cancel", "retry"]),
  /** For a person's request (cancel, retry): how it was taken (`accepted`, `already-requested`, ...). */
  outcome: z.string().nullable().default(null),
  traceId: z.string(),
  spanId: z.string(),
  offsetNs: z.number(),
});
export type SagaMarker = z.infer<typeof SagaMarkerSchema>;

export const SagaPendingSchema = z.object({
  step: z.string(),
  /** Attempts made so far (the last one got no answer). */
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** When the next attempt is due (epoch ms); null when the saga gives up instead. */
  nextAttemptAtMs: z.number().nullable(),
  /** When the saga stops retrying and compensates (epoch ms), if known. */
  giveUpAtMs: z.number().nullable(),
});
export type SagaPending = z.infer<typeof SagaPendingSchema>;

export const SagaSchema = z.object({
  sagaId: z.string(),
  name: z.string(),
  orderId: z.string().nullable(),
  style: z.string().nullable(),
  status: SagaStatusSchema,
  reason: z.string().nullable(),
  /** Planned steps in order (from `app.saga.steps`, else the steps seen by index). */
  plan: z.array(z.string()),
  steps: z.array(SagaStepViewSchema),
  /** Compensated steps in the order their compensations ran (reverse of the plan when correct). */
  compensationOrder: z.array(z.string()),
  /** Steps of `compensationOrder` whose compensation found nothing to undo. */
  noopCompensations: z.array(z.string()).default([]),
  markers: z.array(SagaMarkerSchema),
  /** Every trace the saga's spans are in, the starting trace first. */
  traceIds: z.array(z.string()),
  startNs: z.string(),
  /** Offset of the end marker, or null while the saga has not ended. */
  endOffsetNs: z.number().nullable(),
  /** Offset of the end of the latest saga span. */
  lastActivityOffsetNs: z.number(),
  /** The step in progress (running), being compensated, or that failed; null when ended. */
  currentStep: z.string().nullable(),
  /** A running saga's step that got no answer and waits for its next attempt; null otherwise. */
  pending: SagaPendingSchema.nullable(),
  /** Why a stuck saga does not move, in words; null unless stuck. */
  stuckReason: z.string().nullable(),
  spanCount: z.number().int(),
});
export type Saga = z.infer<typeof SagaSchema>;

/** One row of the saga list. */
export const SagaSummarySchema = SagaSchema.pick({
  sagaId: true,
  name: true,
  orderId: true,
  style: true,
  status: true,
  reason: true,
  startNs: true,
  endOffsetNs: true,
  lastActivityOffsetNs: true,
  currentStep: true,
  pending: true,
  stuckReason: true,
  traceIds: true,
});
export type SagaSummary = z.infer<typeof SagaSummarySchema>;
