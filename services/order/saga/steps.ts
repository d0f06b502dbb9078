import { AppError, SagaSteps, type SagaStep } from "../../contracts/index.ts";
import type { FlowOrder } from "../domain/order-data.ts";
import type { CreditChecker } from "../messaging/credit-check.ts";
import { chargePayment, createShipment, reserveStock, undo, type Participants } from "../clients/participants.ts";
import type { StepOutcome } from "../domain/step-outcome.ts";

/** What a step can reach. */
export type StepDeps = { participants: Participants; credit: CreditChecker };

/**
 * One step of the order saga: its action and its compensation (none for the credit check, which
 * changes nothing). Both must be safe to repeat: a resumed saga runs its current step again.
 * Participants make that so: reservations, charges and shipments are keyed by order id (charges
 * also by idempotency key), and releases, refunds and cancels are no-ops the second time.
 */
export type SagaStepDefinition = {
  name: SagaStep;
  execute(deps: StepDeps, order: FlowOrder): Promise<StepOutcome>;
  compensate?(deps: StepDeps, order: FlowOrder, reason: string): Promise<unknown>;
};

/**
 * The credit check over async request/reply. A timeout is a TRANSIENT failure here (`failed`):
 * the orchestrator retries the step with a fresh request and correlation id, and only after its
 * attempts run out does the saga fail and compensate. Unlike a waiting caller (hybrid), a saga
 * can afford to ask again, and asking again is harmless because the check has no effect.
 */
async function checkCredit(deps: StepDeps, order: FlowOrder): Promise<StepOutcome> {
  try {
    const decision = await deps.credit.check(order);
    return decision.approved
      ? { kind: "succeeded", detail: { approved: true } }
      : { kind: "refused", reason: decision.reason ?? "credit check rejected" };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { kind: "failed", reason: error.message, error };
  }
}

/** The plan, in execution order (contracts/flow.ts SagaSteps). Compensation runs it backwards. */
export const ORDER_SAGA_PLAN: readonly SagaStepDefinition[] = [
  {
    name: SagaSteps.RESERVE_STOCK,
    execute: (deps, order) => reserveStock(deps.participants, order),
    compensate: (deps, order, reason) => undo.releaseStock(deps.participants, order, reason),
  },
  { name: SagaSteps.CHECK_CREDIT, execute: checkCredit },
  {
    name: SagaSteps.CHARGE_PAYMENT,
    execute: (deps, order) => chargePayment(deps.participants, order),
    compensate: (deps, order, reason) => undo.refundPayment(deps.participants, order.id, reason),
  },
  {
    name: SagaSteps.CREATE_SHIPMENT,
    execute: (deps, order) => createShipment(deps.participants, order),
    compensate: (deps, order, reason) => undo.cancelShipment(deps.participants, order.id, reason),
  },
];

export const ORDER_SAGA_STEP_NAMES: readonly SagaStep[] = ORDER_SAGA_PLAN.map((step) => step.name);
