import { context, trace, type Span } from "@opentelemetry/api";
import { Attr, type TerminalOrderStatus } from "../../contracts/index.ts";
import { contextFromTraceparent } from "../../kit/job-sender.ts";
import { recordSpanError } from "../../kit/trpc.ts";
import type { FlowAnswer, OrderDeps } from "../deps.ts";
import type { FlowOrder } from "../domain/order-data.ts";
import { runHybridFlow } from "../flows/hybrid.ts";
import { undoAll } from "../flows/sequence.ts";
import { runSyncFlow } from "../flows/sync.ts";
import { compensateOrder } from "../flows/settle.ts";
import { finishOrder, toFlowOrder, type RecoveryAction } from "../orders-store.ts";
import { undo, type Participants } from "../clients/participants.ts";
import { shortReason } from "../domain/step-outcome.ts";
import { decideRecovery, type RecoveryDecision } from "./decide.ts";

const tracer = trace.getTracer("switchyard-recovery");
/** Orders taken per sweep; the rest are taken on the next one. */
const BATCH = 20;

type DueRow = {
  id: string;
  customer_id: string;
  product_id: string;
  quantity: number;
  amount_cents: number;
  style: "sync" | "choreography" | "hybrid";
  status: "PENDING" | "CONFIRMED";
  reason: string | null;
  recovery: string | null;
  recovery_attempts: number;
  traceparent: string | null;
  age_ms: number;
};

/** Saga side of the sweep: sagas that stopped without a process driving them. */
export type SagaResumer = { resumeStale(olderThanMs: number): Promise<number> };

export type RecoverySweeper = { sweepOnce(): Promise<number>; stop(): Promise<void> };

/**
 * Takes the orders that are due (their flow's lease ran out, or their retry time came), and
 * pushes the next attempt of each one out by an exponential backoff, in one statement: a crashed
 * sweeper's orders come back by themselves, and two sweepers never take the same order
 * (SKIP LOCKED). Sagas are left to their orchestrator.
 */
async function claimDue(deps: OrderDeps): Promise<DueRow[]> {
  const { intervalMs, maxBackoffMs } = deps.recovery;
  return deps.db.$queryRaw<DueRow[]>`
    UPDATE "orders"."orders" o
    SET "recovery_attempts" = o."recovery_attempts" + 1,
        "next_recovery_at" = now() + make_interval(secs => least(${maxBackoffMs}::float8, ${intervalMs}::float8 * power(2, least(o."recovery_attempts", 16))) / 1000)
    FROM (SELECT "id" FROM "orders"."orders"
          WHERE "status" IN ('PENDING', 'CONFIRMED') AND "style" <> 'saga' AND "next_recovery_at" <= now()
          ORDER BY "next_recovery_at" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) due
    WHERE o."id" = due."id"
    RETURNING o."id", o."customer_id", o."product_id", o."quantity", o."amount_cents", o."style"::text AS "style",
              o."status"::text AS "status", o."reason", o."recovery", o."recovery_attempts", o."traceparent",
              (extract(epoch FROM now() - o."created_at") * 1000)::int AS "age_ms"`;
}

/** Shipping's record of the order's parcel (asked only where shipping decides the outcome). */
async function askShipping(p: Participants, row: DueRow) {
  if (row.style === "sync" || (row.style === "hybrid" && row.status === "PENDING") || row.recovery === "compensate") return undefined;
  const shipment = await p.shipping.shipping.getShipment.query({ orderId: row.id });
  return shipment?.status ?? null;
}

/**
 * Undoes everything an order may have done, latest first (cancel, refund, release): each is a
 * no-op that says so when nothing had taken effect. COMPENSATED when something was undone,
 * REJECTED when nothing had; on an undo without an answer the order stays to be compensated.
 */
function compensateEverything(deps: OrderDeps, order: FlowOrder, reason: string): Promise<FlowAnswer> {
  const p = deps.participants;
  return compensateOrder(deps.db, order.id, reason, async () => {
    const undone = await undoAll(
      [
        { name: "reserveStock", undo: (why) => undo.releaseStock(p, order, why) },
        { name: "chargePayment", undo: (why) => undo.refundPayment(p, order.id, why) },
        { name: "createShipment", undo: (why) => undo.cancelShipment(p, order.id, why) },
      ],
      reason,
    );
    trace.getActiveSpan()?.setAttribute(Attr.RECOVERY_UNDONE, undone);
    return undone;
  });
}

async function act(deps: OrderDeps, row: DueRow, decision: RecoveryDecision): Promise<FlowAnswer | null> {
  const order = toFlowOrder({ id: row.id, customerId: row.customer_id, productId: row.product_id, quantity: row.quantity, amountCents: row.amount_cents, style: row.style });
  switch (decision.action) {
    case "resume":
      return row.style === "sync" ? runSyncFlow(deps, order) : runHybridFlow(deps, order);
    case "compensate":
      return compensateEverything(deps, order, shortReason(row.reason && row.recovery !== "compensate" ? `${row.reason} (recovery: ${decision.reason})` : `recovery: ${decision.reason}`));
    case "complete":
      return finishOrder(deps.db, row.id, "COMPLETED" satisfies TerminalOrderStatus, null);
    case "wait":
      return null;
  }
}

/**
 * One order's recovery, in an `order.recover` span inside the order's own trace (a child of its
 * placeOrder span, so the trace view of the order shows what the sweeper decided and did).
 */
async function recoverOne(deps: OrderDeps, row: DueRow): Promise<void> {
  const parent = contextFromTraceparent(row.traceparent, null);
  await tracer.startActiveSpan("order.recover", { attributes: { [Attr.ORDER_ID]: row.id, [Attr.ORDER_STYLE]: row.style, [Attr.RECOVERY_ATTEMPT]: row.recovery_attempts } }, parent, async (span: Span) => {
    try {
      const shipment = await askShipping(deps.participants, row);
      const decision = decideRecovery({
        style: row.style,
        status: row.status,
        recovery: row.recovery === "resume" || row.recovery === "compensate" ? (row.recovery as RecoveryAction) : null,
        reason: row.reason,
        ageMs: row.age_ms,
        giveUpAfterMs: deps.recovery.giveUpAfterMs,
        shipment,
      });
      span.setAttributes({ [Attr.RECOVERY_ACTION]: decision.action, [Attr.RECOVERY_REASON]: decision.reason });
      const answer = await act(deps, row, decision);
      span.setAttribute(Attr.ORDER_STATUS, answer?.status ?? row.status);
    } catch (error) {
      // Shipping unreachable, the database gone: nothing decided, the claim's backoff retries it.
      recordSpanError(span, error, (error as { code?: string }).code ?? "INTERNAL");
    } finally {
      span.end();
    }
  });
}

/**
 * The order service's recovery sweeper: every `intervalMs`, finishes what nobody else will.
 * Orders whose flow handed them over or died, choreographies whose events stopped, CONFIRMED
 * hybrids shipping never answered (see decide.ts), and sagas no orchestrator drives.
 */
export function startRecoverySweeper(deps: OrderDeps, sagas: SagaResumer, log: (message: string) => void): RecoverySweeper {
  let stopping = false;
  let current: Promise<number> = Promise.resolve(0);
  const sweepOnce = async (): Promise<number> => {
    const rows = await context.with(trace.deleteSpan(context.active()), () => claimDue(deps));
    for (const row of rows) {
      if (stopping) break;
      await recoverOne(deps, row);
    }
    await sagas.resumeStale(deps.recovery.staleAfterMs);
    return rows.length;
  };
  const tick = async () => {
    if (stopping) return;
    current = sweepOnce().catch((error: unknown) => {
      log(`recovery sweep failed (retrying in ${deps.recovery.intervalMs} ms): ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    });
    await current;
    if (!stopping) timer = setTimeout(() => void tick(), deps.recovery.intervalMs);
  };
  let timer = setTimeout(() => void tick(), deps.recovery.intervalMs);
  return {
    sweepOnce,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await current;
    },
  };
}
