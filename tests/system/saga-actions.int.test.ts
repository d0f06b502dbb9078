/**
 * Saga actions across real processes: a saga order whose payment step gets no answer (payment
 * fails every call, injected through the chaos store) waits for its next attempt with the
 * schedule in its row and on its spans; retry and cancel requests act once however many arrive
 * at the same moment; a cancelled saga compensates in reverse and ends COMPENSATED once the
 * payment service answers again.
 */
import { createTRPCClient, httpLink } from "@trpc/client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attr, type SagaRequestAnswer, type SagaRequestInput } from "../../services/contracts/index.ts";
import type { OrderRouter } from "../../services/order/router.ts";
import { ChaosStore } from "../../services/shared/chaos-store.ts";
import { TEST_CONFIG, type RunningSystem } from "../../scripts/launcher/index.ts";
import type { StoredSpan } from "../../server/store/types.ts";
import { byStart, createFlowProbe, type FlowProbe } from "../support/flow-probe.ts";
import { startTestSystem } from "../support/start-system.ts";

let system: RunningSystem;
let probe: FlowProbe;
let chaos: ChaosStore;
let redis: Redis;
let order: ReturnType<typeof createTRPCClient<OrderRouter>>;
const logs: string[] = [];
const PROCESSES = ["collector", "inventory", "payment", "shipping", "order"] as const;

type SagaRow = { id: string; status: string; current_step: string | null; step_attempts: number; next_attempt_at: Date | null; last_error: string | null };

beforeAll(async () => {
  // Retries at most 1.5 s apart, so a test sees several attempts; a long give-up so it never does.
  system = await startTestSystem({ processes: PROCESSES, env: { order: { SAGA_RETRY_MAX_DELAY_MS: "1500", ORDER_GIVE_UP_AFTER_MS: "600000" } } }, logs);
  probe = createFlowProbe({ databaseUrl: TEST_CONFIG.databaseUrl, orderUrl: system.urls.order, collectorUrl: system.urls.collector, logs });
  redis = new Redis(system.config.redisUrl, { maxRetriesPerRequest: 1 });
  chaos = new ChaosStore(redis, system.config.redisPrefix);
  order = createTRPCClient<OrderRouter>({ links: [httpLink({ url: `${system.urls.order}/trpc` })] });
  await probe.pool.query(`UPDATE inventory.products SET stock = 500 WHERE id = 'sku-filter'`);
}, 300_000);

afterAll(async () => {
  await chaos?.reset().catch(() => undefined);
  redis?.disconnect();
  await probe?.close();
  await system?.stop();
});

const sagaOf = async (orderId: string) => (await probe.pool.query<SagaRow>(`SELECT * FROM orders.sagas WHERE order_id = $1`, [orderId])).rows[0]!;
const request = (input: SagaRequestInput): Promise<SagaRequestAnswer> => order.order.requestSaga.mutate(input);
const executions = (spans: StoredSpan[], step: string) => byStart(spans.filter((s) => s.attributes[Attr.SAGA_STEP] === step && s.attributes[Attr.SAGA_ACTION] === "execute"));

/** Payment answers every call with an error until the experiment is reset. */
async function failPayment(): Promise<void> {
  await chaos.start({ service: "payment", fault: "error", rate: 1 });
  await probe.waitFor("payment to fail", async () => {
    const input = encodeURIComponent(JSON.stringify({ orderId: "00000000-0000-4000-8000-000000000000" }));
    const response = await fetch(`${system.urls.payment}/trpc/payment.getPayment?input=${input}`).catch(() => null);
    return response && !response.ok ? true : undefined;
  });
}

async function placeWaitingSaga(): Promise<{ orderId: string; traceId: string; saga: SagaRow }> {
  const placed = await probe.placeOrder({ style: "saga", quantity: 1, customerId: `it-saga-actions-${Date.now()}` });
  const saga = await probe.waitFor("the saga to wait for a payment retry", async () => {
    const row = await sagaOf(placed.orderId);
    return row?.next_attempt_at && row.current_step === "chargePayment" ? row : undefined;
  });
  return { orderId: placed.orderId, traceId: placed.traceId, saga };
}

describe("saga actions", () => {
  it("a step without an answer waits with its schedule persisted and on its span; two retries at once make one extra attempt", async () => {
    await failPayment();
    const { orderId, traceId, saga } = await placeWaitingSaga();
    expect(saga.status).toBe("running");
    expect(saga.last_error).toMatch(/chaos|payment/i);
    const spans = await probe.waitForTrace(traceId, (all) => executions(all, "chargePayment").some((s) => s.attributes[Attr.SAGA_NEXT_ATTEMPT_AT_MS] !== undefined));
    const waiting = executions(spans, "chargePayment").find((s) => s.attributes[Attr.SAGA_NEXT_ATTEMPT_AT_MS] !== undefined)!;
    expect(waiting.attributes[Attr.SAGA_STEP_ATTEMPT]).toBeGreaterThanOrEqual(1);
    expect(waiting.attributes[Attr.SAGA_GIVE_UP_AT_MS]).toBeGreaterThan(Date.now());

    // Two retry requests for the attempt just seen, at the same moment: one acts.
    const now = await sagaOf(orderId);
    const after = now.step_attempts;
    const answers = await Promise.all([request({ orderId, kind: "retry", afterAttempt: after }), request({ orderId, kind: "retry", afterAttempt: after })]);
    const outcomes = answers.map((a) => a.outcome).sort();
    // "not-waiting": the scheduled attempt started between the read and the requests (then neither acts).
    expect([["accepted", "already-requested"], ["not-waiting", "not-waiting"]]).toContainEqual(outcomes);
    await probe.waitFor("the next attempt", async () => ((await sagaOf(orderId)).step_attempts > after ? true : undefined));
    const later = await probe.waitForTrace(traceId, (all) => executions(all, "chargePayment").some((s) => s.attributes[Attr.SAGA_STEP_ATTEMPT] === after + 1));
    expect(executions(later, "chargePayment").filter((s) => s.attributes[Attr.SAGA_STEP_ATTEMPT] === after + 1)).toHaveLength(1);
    // Each request is a span saying how it was taken.
    const requests = await probe.waitFor("the request spans", async () => {
      const { rows } = await probe.pool.query<{ outcome: string }>(
        `SELECT attributes ->> 'app.saga.request.outcome' AS outcome FROM telemetry.spans
         WHERE attributes ? 'app.saga.id' AND attributes ->> 'app.saga.id' = $1 AND attributes ->> 'app.saga.request' = 'retry'`,
        [saga.id],
      );
      return rows.length === 2 ? rows.map((r) => r.outcome).sort() : undefined;
    });
    expect(requests).toEqual(outcomes);
    await request({ orderId, kind: "cancel" });
    await chaos.reset();
    await probe.waitForSettled(orderId, 60_000);
  }, 120_000);

  it("two cancels at once: one acts; the saga compensates in reverse and ends COMPENSATED once payment answers", async () => {
    await failPayment();
    const { orderId, traceId, saga } = await placeWaitingSaga();
    const answers = await Promise.all([request({ orderId, kind: "cancel" }), request({ orderId, kind: "cancel" })]);
    expect(answers.map((a) => a.outcome).sort()).toEqual(["accepted", "already-requested"]);
    // It stops going forward: compensating, with the charge (no answer: maybe taken) to refund first.
    const compensating = await probe.waitFor("the saga to compensate", async () => {
      const row = await sagaOf(orderId);
      return row.status === "compensating" ? row : undefined;
    });
    expect(compensating.next_attempt_at).toBeNull();
    const attemptsAtCancel = (await sagaOf(orderId)).step_attempts;
    // A third cancel is the same request again; a retry finds nothing running forward.
    expect((await request({ orderId, kind: "cancel" })).outcome).toBe("already-requested");
    expect((await request({ orderId, kind: "retry" })).outcome).toBe("not-running");
    await chaos.reset();
    const settled = await probe.waitForSettled(orderId, 60_000);
    expect(settled.status).toBe("COMPENSATED");
    expect(settled.reason).toMatch(/cancelled by a person while chargePayment waited/);
    const spans = await probe.waitForTrace(traceId, (all) => all.some((s) => s.attributes[Attr.SAGA_STATUS] === "compensated"));
    const compensations = byStart(spans.filter((s) => s.attributes[Attr.SAGA_ACTION] === "compensate" && s.attributes[Attr.SAGA_STEP_OUTCOME] === "succeeded"));
    expect(compensations.map((s) => s.attributes[Attr.SAGA_STEP])).toEqual(["chargePayment", "reserveStock"]);
    // No attempt at the charge after the cancel took effect.
    expect(executions(spans, "chargePayment").every((s) => Number(s.attributes[Attr.SAGA_STEP_ATTEMPT]) <= attemptsAtCancel + 1)).toBe(true);
    const { rows } = await probe.pool.query(`SELECT status FROM inventory.reservations WHERE order_id = $1`, [orderId]);
    expect(rows[0]?.status).toBe("RELEASED");
    expect((await sagaOf(orderId)).id).toBe(saga.id);
    // Ended: nothing left to cancel.
    expect((await request({ orderId, kind: "cancel" })).outcome).toBe("not-running");
  }, 120_000);
});
