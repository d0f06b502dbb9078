import { z } from "zod";

/**
 * How an order flow communicates. Chosen per order (dashboard, order API, `npm run order -- --mode`).
 * - sync: order calls inventory, payment, shipping in sequence over tRPC and undoes on failure.
 * - choreography: services react to each other's events; no coordinator.
 * - saga: an orchestrator in the order service drives persisted steps, compensating in reverse.
 * - hybrid: stock and payment synchronous (the caller gets the answer), then events fan out.
 */
export const OrderStyleSchema = z.enum(["sync", "choreography", "saga", "hybrid"]);
export type OrderStyle = z.infer<typeof OrderStyleSchema>;
export const ORDER_STYLES = OrderStyleSchema.options;

/** Steps of the order saga, in execution order. Compensation runs the done ones in reverse. */
export const SagaSteps = {
  RESERVE_STOCK: "reserveStock",
  CHECK_CREDIT: "checkCredit",
  CHARGE_PAYMENT: "chargePayment",
  CREATE_SHIPMENT: "createShipment",
} as const;
export type SagaStep = (typeof SagaSteps)[keyof typeof SagaSteps];

/** `app.saga.action` values. */
export const SagaAction = { EXECUTE: "execute", COMPENSATE: "compensate" } as const;
export type SagaAction = (typeof SagaAction)[keyof typeof SagaAction];

/** `app.saga.step.outcome` values. */
export const SagaStepOutcome = { SUCCEEDED: "succeeded", FAILED: "failed" } as const;

/** `app.saga.status` values, as persisted and as rebuilt from spans (`stuck` is derived only). */
export const SagaStatusSchema = z.enum(["running", "compensating", "completed", "compensated", "stuck"]);
export type SagaStatus = z.infer<typeof SagaStatusSchema>;

/** The name of the order saga (`app.saga.name`). */
export const ORDER_SAGA_NAME = "order";

/**
 * Span names of the orchestrator. Views rebuild sagas from the `app.saga.*` attributes, never
 * from these names; the names are for people reading a timeline.
 * - `saga.start <name>`: carries `app.saga.steps` (the plan) and `app.order.style`.
 * - `saga.execute <step>` / `saga.compensate <step>`: one per attempt at a step, with
 *   `app.saga.step`, `app.saga.step.index`, `app.saga.action`, `app.saga.step.outcome`.
 * - `saga.resume <name>`: the orchestrator picked up an unfinished saga after a restart (new
 *   trace, span link to the saga's original trace).
 * - `saga.end <name>`: `app.saga.status` completed or compensated, `app.saga.reason` if any.
 * - `saga.request cancel|retry`: a person asked to cancel (compensate now) or to retry the
 *   waiting step now; `app.saga.request.outcome` says how it was taken.
 * Every saga span carries `app.saga.id` and `app.order.id`.
 */
export const SagaSpanNames = {
  start: (saga: string) => `saga.start ${saga}`,
  execute: (step: string) => `saga.execute ${step}`,
  compensate: (step: string) => `saga.compensate ${step}`,
  resume: (saga: string) => `saga.resume ${saga}`,
  end: (saga: string) => `saga.end ${saga}`,
  request: (kind: SagaRequestKind) => `saga.request ${kind}`,
} as const;

/** What a person can ask of a running saga: compensate now, or try the waiting step now. */
export const SagaRequestKinds = ["cancel", "retry"] as const;
export type SagaRequestKind = (typeof SagaRequestKinds)[number];

/** How a saga request was taken (see services/order/saga/store.ts). */
export const SagaRequestOutcomeSchema = z.enum(["accepted", "already-requested", "not-running", "not-waiting", "cancel-requested"]);

/** A person's request about the saga of an order: cancel (compensate now) or retry the waiting step now. */
export const SagaRequestInputSchema = z.object({
  orderId: z.uuid(),
  kind: z.enum(SagaRequestKinds),
  /** For `retry`: the attempt the asker saw fail (a request for an attempt already retried does nothing). */
  afterAttempt: z.number().int().min(0).max(1_000_000).optional(),
});
export type SagaRequestInput = z.infer<typeof SagaRequestInputSchema>;

export const SagaRequestAnswerSchema = z.object({
  outcome: SagaRequestOutcomeSchema,
  sagaId: z.string(),
  orderId: z.string(),
  status: z.enum(["running", "compensating", "completed", "compensated"]),
  currentStep: z.string().nullable(),
  stepAttempts: z.number().int(),
});
export type SagaRequestAnswer = z.infer<typeof SagaRequestAnswerSchema>;
