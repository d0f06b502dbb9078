import type { SagaStep } from "../../contracts/index.ts";
import type { Prisma } from "../../../prisma/generated/orders/client.ts";
import type { Db, Tx } from "../db.ts";
import type { FlowOrder } from "../domain/order-data.ts";

/** What the orchestrator keeps about one step (as JSONB under the step's name). */
export type StepRecord = {
  outcome: "succeeded" | "failed";
  /** Why it failed (declined, out of stock, ...). */
  reason?: string;
  /** true when the failure left its effect unknown (no answer): it is compensated too. */
  uncertain?: boolean;
  /** What the participant answered (payment id, shipment id, ...). */
  detail?: Record<string, unknown>;
  attempts: number;
  at: string;
};

/** A saga as the orchestrator works with it: its row plus the order it drives. */
export type SagaState = {
  id: string;
  order: FlowOrder;
  status: "running" | "compensating" | "completed" | "compensated";
  currentStep: string | null;
  stepIndex: number;
  stepResults: Partial<Record<SagaStep, StepRecord>>;
  compensated: string[];
  reason: string | null;
  traceparent: string | null;
  tracestate: string | null;
  version: number;
  /** When the saga (and its order) began, epoch ms: the give-up deadline counts from here. */
  createdAtMs: number;
  /** Attempts made at the current step. */
  stepAttempts: number;
  /** When the current step is tried again (null: not waiting for a retry). */
  nextAttemptAt: Date | null;
  /** Why the current step's last attempt failed. */
  lastError: string | null;
};

/** Another orchestrator advanced this saga (its version moved): this one must let it go. */
export class SagaOwnershipLost extends Error {
  override name = "SagaOwnershipLost";
  constructor(sagaId: string) {
    super(`saga ${sagaId} was updated by another orchestrator; leaving it to that one`);
  }
}

const withOrder = { order: true } as const;
type SagaRow = Awaited<ReturnType<typeof loadRow>>;
function loadRow(db: Db, id: string) {
  return db.saga.findUniqueOrThrow({ where: { id }, include: withOrder });
}

function toState(row: SagaRow): SagaState {
  const o = row.order;
  return {
    id: row.id,
    order: { id: o.id, customerId: o.customerId, productId: o.productId, quantity: o.quantity, amountCents: o.amountCents, style: o.style },
    status: row.status,
    currentStep: row.currentStep,
    stepIndex: row.stepIndex,
    stepResults: row.stepResults as SagaState["stepResults"],
    compensated: row.compensated,
    reason: row.reason,
    traceparent: row.traceparent,
    tracestate: row.tracestate,
    version: row.version,
    createdAtMs: row.createdAt.getTime(),
    stepAttempts: row.stepAttempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
  };
}

/** Inserts the saga of `orderId` (first step pending) inside the order's transaction. */
export async function insertSaga(
  tx: Tx,
  saga: { id: string; orderId: string; firstStep: string; traceparent: string | null; tracestate: string | null },
): Promise<void> {
  await tx.saga.create({
    data: { id: saga.id, orderId: saga.orderId, status: "running", currentStep: saga.firstStep, traceparent: saga.traceparent, tracestate: saga.tracestate },
  });
}

export async function loadSaga(db: Db, id: string): Promise<SagaState> {
  return toState(await loadRow(db, id));
}

/**
 * Every saga that has not ended, oldest first (what a restarted orchestrator resumes); with
 * `notUpdatedSince`, only those that have not moved since then.
 */
export async function listUnfinishedSagaIds(db: Db, notUpdatedSince?: Date): Promise<string[]> {
  const rows = await db.saga.findMany({
    where: { status: { in: ["running", "compensating"] }, ...(notUpdatedSince ? { updatedAt: { lt: notUpdatedSince } } : {}) },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

type SagaChange = Partial<
  Pick<SagaState, "status" | "currentStep" | "stepIndex" | "stepResults" | "compensated" | "reason" | "stepAttempts" | "nextAttemptAt" | "lastError">
> & {
  /** Cleared when the saga moves to another step: a retry asked for belongs to the step it was asked of. */
  retryRequestedFor?: null;
};

/**
 * Writes `change` if the saga is still at `saga.version` (optimistic concurrency) and returns the
 * new state; throws SagaOwnershipLost when someone else moved it on.
 */
export async function updateSaga(db: Db | Tx, saga: SagaState, change: SagaChange): Promise<SagaState> {
  // StepRecord is plain JSON (strings, numbers, booleans, the participant's JSON answer).
  const stepResults = change.stepResults as Prisma.InputJsonObject | undefined;
  const { count } = await db.saga.updateMany({
    where: { id: saga.id, version: saga.version },
    data: { ...change, stepResults, updatedAt: new Date(), version: { increment: 1 } },
  });
  if (count !== 1) throw new SagaOwnershipLost(saga.id);
  const { retryRequestedFor: _cleared, ...state } = change;
  return { ...saga, ...state, version: saga.version + 1 };
}

/** What people asked of a saga (see {@link requestCancel}, {@link requestRetry}). */
export type SagaRequests = { cancelRequested: boolean; retryRequestedFor: number | null };

/** The pending requests of a saga (read by the orchestrator before each attempt and when woken). */
export async function loadRequests(db: Db, id: string): Promise<SagaRequests> {
  const row = await db.saga.findUniqueOrThrow({ where: { id }, select: { cancelRequestedAt: true, retryRequestedFor: true } });
  return { cancelRequested: row.cancelRequestedAt !== null, retryRequestedFor: row.retryRequestedFor };
}

/**
 * How a request was taken: `accepted` (this request will act), `already-requested` (an earlier
 * identical request will act: a second click, or two at once), or why it cannot act.
 */
export type SagaRequestOutcome = "accepted" | "already-requested" | "not-running" | "not-waiting" | "cancel-requested";

/** A saga as an action sees it after its request. */
export type SagaRequestAnswer = {
  outcome: SagaRequestOutcome;
  sagaId: string;
  orderId: string;
  status: SagaState["status"];
  currentStep: string | null;
  stepAttempts: number;
};

async function answer(db: Db, where: { id: string } | { orderId: string }, outcome: SagaRequestOutcome | ((row: RequestRow) => SagaRequestOutcome)): Promise<SagaRequestAnswer> {
  const row = await db.saga.findUniqueOrThrow({ where, select: REQUEST_ROW });
  return {
    outcome: typeof outcome === "function" ? outcome(row) : outcome,
    sagaId: row.id,
    orderId: row.orderId,
    status: row.status,
    currentStep: row.currentStep,
    stepAttempts: row.stepAttempts,
  };
}
const REQUEST_ROW = {
  id: true, orderId: true, status: true, currentStep: true, stepAttempts: true, nextAttemptAt: true, cancelRequestedAt: true, retryRequestedFor: true,
} as const;
type RequestRow = { status: SagaState["status"]; nextAttemptAt: Date | null; cancelRequestedAt: Date | null; retryRequestedFor: number | null; stepAttempts: number };

/** The saga of an order, or null when the order has none (not a saga-style order). */
export async function findSagaOfOrder(db: Db, orderId: string): Promise<string | null> {
  const row = await db.saga.findUnique({ where: { orderId }, select: { id: true } });
  return row?.id ?? null;
}

/**
 * Asks the saga to stop going forward and compensate now. One conditional UPDATE: of any number
 * of concurrent requests exactly one is `accepted`; the rest are `already-requested`. Only a
 * running saga can be cancelled (a compensating one is already undoing, an ended one is done).
 */
export async function requestCancel(db: Db, sagaId: string): Promise<SagaRequestAnswer> {
  const { count } = await db.saga.updateMany({
    where: { id: sagaId, status: "running", cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date() },
  });
  if (count === 1) return answer(db, { id: sagaId }, "accepted");
  // A cancel already asked for answers the same while its compensation runs (a second click may
  // land after the orchestrator took the first); a saga that ended, or compensates for another
  // reason, cannot be cancelled.
  return answer(db, { id: sagaId }, (row) =>
    row.cancelRequestedAt && (row.status === "running" || row.status === "compensating") ? "already-requested" : "not-running",
  );
}

/**
 * Asks the saga to try its waiting step again now, instead of at its scheduled time.
 * `afterAttempt` is the attempt the asker saw fail; the views read it from spans, which may be a
 * moment behind, so a request for an earlier attempt retries the attempt waiting now. Two
 * requests at once, or a second click, make one extra attempt between them (one UPDATE wins).
 */
export async function requestRetry(db: Db, sagaId: string, afterAttempt: number): Promise<SagaRequestAnswer> {
  const count = await db.$executeRaw`
    UPDATE "orders"."sagas" SET "retry_requested_for" = "step_attempts"
    WHERE "id" = ${sagaId}::uuid AND "status" = 'running' AND "cancel_requested_at" IS NULL AND "next_attempt_at" IS NOT NULL
      AND "step_attempts" >= ${afterAttempt} AND "retry_requested_for" IS DISTINCT FROM "step_attempts"`;
  if (count === 1) return answer(db, { id: sagaId }, "accepted");
  return answer(db, { id: sagaId }, (row) => {
    if (row.status !== "running") return "not-running";
    if (row.cancelRequestedAt) return "cancel-requested";
    // The retry asked for is waiting to run or running now (a second click lands here either way).
    if (row.retryRequestedFor === row.stepAttempts) return "already-requested";
    return "not-waiting";
  });
}
