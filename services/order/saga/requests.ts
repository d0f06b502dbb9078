import { AppError, Attr, type SagaRequestKind } from "../../contracts/index.ts";
import type { Db } from "../db.ts";
import type { SagaStarter } from "../deps.ts";
import { findSagaOfOrder, loadSaga, requestCancel, requestRetry, type SagaRequestAnswer } from "./store.ts";
import { recordRequest } from "./telemetry.ts";

/**
 * A person's request about the saga of an order, from the gateway's `/v2/orders/:id/cancel` and
 * `/retry` (the dashboard's Cancel and Retry buttons go through it). Written to the saga's row in
 * one conditional UPDATE, so repeated and concurrent requests act once; then the orchestrator is
 * nudged (if it drives the saga in this process; otherwise it sees the request within 2 s).
 * Every request is a `saga.request <kind>` span saying how it was taken.
 */
export async function requestSagaAction(
  db: Db,
  sagas: Pick<SagaStarter, "nudge">,
  input: { orderId: string; kind: SagaRequestKind; afterAttempt?: number },
): Promise<SagaRequestAnswer> {
  const sagaId = await findSagaOfOrder(db, input.orderId);
  if (!sagaId) throw new AppError("NOT_FOUND", `order ${input.orderId} has no saga (only saga-style orders can be cancelled or retried)`);
  const saga = await loadSaga(db, sagaId);
  const answer = input.kind === "cancel" ? await requestCancel(db, sagaId) : await requestRetry(db, sagaId, input.afterAttempt ?? saga.stepAttempts);
  recordRequest(saga, input.kind, answer.outcome, {
    [Attr.SAGA_STATUS]: answer.status,
    ...(answer.currentStep ? { [Attr.SAGA_STEP]: answer.currentStep } : {}),
    [Attr.SAGA_STEP_ATTEMPT]: answer.stepAttempts,
  });
  if (answer.outcome === "accepted") sagas.nudge(sagaId);
  return answer;
}
