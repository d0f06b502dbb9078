import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Context } from "@opentelemetry/api";
import type { Db } from "../db.ts";
import { activeTraceHeaders } from "../../kit/job-sender.ts";
import type { SagaStarter } from "../deps.ts";
import type { FlowOrder } from "../domain/order-data.ts";
import { insertPendingOrder } from "../orders-store.ts";
import { compensateAll, executeCurrentStep, finishSaga, type RunContext, type StepRetrySettings } from "./run.ts";
import { ORDER_SAGA_PLAN, ORDER_SAGA_STEP_NAMES, type StepDeps } from "./steps.ts";
import { insertSaga, listUnfinishedSagaIds, loadSaga, SagaOwnershipLost, type SagaState } from "./store.ts";
import { recordResume, withStartSpan } from "./telemetry.ts";

export type SagaOrchestrator = SagaStarter & {
  /** Picks up every saga that has not ended (after a crash or restart); resolves once they are launched. */
  resumeUnfinished(): Promise<number>;
  /**
   * Picks up sagas that have not ended, are driven by no one in this process, and have not
   * moved for `olderThanMs` (a drive that stopped on an error). Resolves how many it launched.
   */
  resumeStale(olderThanMs: number): Promise<number>;
  /** Sagas currently driven by this process. */
  inFlight(): number;
  /** Wakes the saga if this process drives it and it waits (a person's request was written). */
  nudge(sagaId: string): void;
  /** Stops starting steps, aborts retries, waits for the steps in flight to end. */
  stop(): Promise<void>;
};

export type OrchestratorOptions = {
  db: Db;
  deps: StepDeps;
  /** Pause before each step (env SAGA_STEP_DELAY_MS): lets people watch a saga in flight. */
  stepDelayMs: number;
  /** How a step without an answer is retried, and when the saga gives up (see run.ts). */
  retry: StepRetrySettings;
  log: (message: string) => void;
};

/**
 * A waiting saga looks at its requests at least this often even without a nudge: a request taken
 * by another instance of the order service reaches the one driving the saga within this time.
 */
const REQUEST_CHECK_MS = 2_000;

/**
 * The order saga's orchestrator, inside the order service. Its state lives in `orders.sagas`,
 * written before and after every step (the step being run, each step's result, the status), so
 * a process killed at any point leaves a saga another start can finish: on boot every unfinished
 * saga is resumed, redoing at most the step that was in flight (steps are idempotent).
 * Each saga runs as a detached async task; placeOrder answers PENDING once its rows are written.
 */
export function createSagaOrchestrator(options: OrchestratorOptions): SagaOrchestrator {
  const abort = new AbortController();
  const running = new Map<string, Promise<void>>();
  const wakers = new Map<string, () => void>();

  const waitFor = (sagaId: string, until: Date): Promise<void> =>
    new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(sagaId);
        abort.signal.removeEventListener("abort", wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(REQUEST_CHECK_MS, Math.max(0, until.getTime() - Date.now())));
      wakers.set(sagaId, wake);
      abort.signal.addEventListener("abort", wake, { once: true });
    });

  const drive = async (initial: SagaState, parent: Context): Promise<void> => {
    const run: RunContext = { db: options.db, deps: options.deps, parent, signal: abort.signal, retry: options.retry, waitFor };
    let saga: SagaState | null = initial;
    while (saga.status === "running" && saga.stepIndex < ORDER_SAGA_PLAN.length) {
      if (options.stepDelayMs > 0) await sleep(options.stepDelayMs, undefined, { signal: abort.signal }).catch(() => undefined);
      if (abort.signal.aborted) return;
      saga = await executeCurrentStep(run, saga);
      if (!saga) return; // stopping: the next start resumes it
    }
    if (saga.status === "compensating") saga = await compensateAll(run, saga);
    if (saga && !abort.signal.aborted) await finishSaga(run, saga);
  };

  const launch = (saga: SagaState, parent: Context): void => {
    if (running.has(saga.id)) return;
    const task = drive(saga, parent)
      .catch((error: unknown) => {
        const lost = error instanceof SagaOwnershipLost;
        options.log(`saga ${saga.id} (order ${saga.order.id}) ${lost ? "let go" : "stopped with an error; it resumes on the next start"}: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => running.delete(saga.id));
    running.set(saga.id, task);
  };

  return {
    async start(order: FlowOrder, traceId: string) {
      const saga: SagaState = {
        id: randomUUID(),
        order,
        status: "running",
        currentStep: ORDER_SAGA_PLAN[0]!.name,
        stepIndex: 0,
        stepResults: {},
        compensated: [],
        reason: null,
        traceparent: null,
        tracestate: null,
        version: 0,
        createdAtMs: Date.now(),
        stepAttempts: 0,
        nextAttemptAt: null,
        lastError: null,
      };
      const { parent } = await withStartSpan(saga, ORDER_SAGA_STEP_NAMES, async () => {
        const { traceparent, tracestate } = activeTraceHeaders();
        Object.assign(saga, { traceparent, tracestate });
        await options.db.$transaction(async (tx) => {
          await insertPendingOrder(tx, order, traceId, null);
          await insertSaga(tx, { id: saga.id, orderId: order.id, firstStep: saga.currentStep!, traceparent, tracestate });
        });
      });
      launch(saga, parent);
    },

    async resumeStale(olderThanMs: number) {
      if (abort.signal.aborted) return 0;
      const ids = (await listUnfinishedSagaIds(options.db, new Date(Date.now() - olderThanMs))).filter((id) => !running.has(id));
      for (const id of ids) {
        const saga = await loadSaga(options.db, id);
        launch(saga, recordResume(saga));
      }
      if (ids.length > 0) options.log(`resumed ${ids.length} stalled saga(s)`);
      return ids.length;
    },

    async resumeUnfinished() {
      const ids = await listUnfinishedSagaIds(options.db);
      for (const id of ids) {
        if (running.has(id)) continue;
        const saga = await loadSaga(options.db, id);
        launch(saga, recordResume(saga));
      }
      if (ids.length > 0) options.log(`resumed ${ids.length} unfinished saga(s)`);
      return ids.length;
    },

    inFlight: () => running.size,

    nudge: (sagaId) => wakers.get(sagaId)?.(),

    async stop() {
      abort.abort();
      await Promise.allSettled(running.values());
    },
  };
}
