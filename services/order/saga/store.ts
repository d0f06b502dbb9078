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

type SagaChange = Partial<Pick<SagaState, "status" | "currentStep" | "stepIndex" | "stepResults" | "compensated" | "reason">>;

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
  return { ...saga, ...change, version: saga.version + 1 };
}
