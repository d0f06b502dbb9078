/**
 * The faults of the matrix (scripts/chaos/matrix.ts runs them): how each is caused through the
 * chaos store, a crash or a poison message, how it is seen to take effect, and how it ends.
 */
import { Queue } from "bullmq";
import { DEAD_LETTER_QUEUE } from "../../services/contracts/index.ts";
import type { ChaosStore } from "../../services/shared/chaos-store.ts";
import { PRODUCT, type FaultScenario, type MatrixHarness } from "./harness.ts";
/** Starts a chaos experiment and waits until `probeFault` sees it take effect. */
async function startExperiment(h: MatrixHarness, input: Parameters<ChaosStore["start"]>[0], takesEffect: () => Promise<boolean>): Promise<void> {
  await h.chaos.start(input);
  await h.waitFor(`chaos ${input.service} ${input.fault} to take effect`, async () => ((await takesEffect()) ? true : undefined));
}

/** True when the service answers a cheap read with an error (the injected fault is live). */
async function readFails(h: MatrixHarness, service: "payment" | "shipping", timeoutMs = 1_000): Promise<boolean> {
  const path = service === "payment" ? "payment.getPayment" : "shipping.getShipment";
  const input = encodeURIComponent(JSON.stringify({ orderId: "00000000-0000-4000-8000-000000000000" }));
  try {
    const response = await fetch(`${h.system.urls[service]}/trpc/${path}?input=${input}`, { signal: AbortSignal.timeout(timeoutMs) });
    return !response.ok;
  } catch {
    return true;
  }
}

async function endAllExperiments(h: MatrixHarness, service: "payment" | "shipping"): Promise<void> {
  await h.chaos.reset();
  await h.waitFor(`${service} to answer again`, async () => ((await readFails(h, service, 5_000)) ? undefined : true));
}

/** Jobs in the system's dead-letter queue (BullMQ's own counts). */
async function countDeadLetters(h: MatrixHarness): Promise<number> {
  const queue = new Queue(DEAD_LETTER_QUEUE, { connection: { url: h.system.config.redisUrl }, prefix: h.system.config.redisPrefix });
  try {
    const counts = await queue.getJobCounts();
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  } finally {
    await queue.close();
  }
}

/** Waits until at least one order placed after `since` is in flight (inserted, not terminal). */
async function someOrderInFlight(h: MatrixHarness, since: Date): Promise<void> {
  await h.waitFor("an order in flight", async () => {
    const { rows } = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders.orders WHERE created_at >= $1 AND status NOT IN ('COMPLETED', 'REJECTED', 'COMPENSATED')`,
      [since],
    );
    return rows[0]!.n > 0 ? true : undefined;
  });
}

/** The faults of the matrix. */
export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  {
    name: "payment error 100%",
    inject: (h) => startExperiment(h, { service: "payment", fault: "error", rate: 1 }, () => readFails(h, "payment")),
    remove: (h) => endAllExperiments(h, "payment"),
  },
  {
    name: "payment latency over its timeout",
    inject: (h) => startExperiment(h, { service: "payment", fault: "latency", latencyMs: 4_000 }, () => readFails(h, "payment", 3_000)),
    remove: (h) => endAllExperiments(h, "payment"),
  },
  {
    name: "payment down",
    inject: (h) => h.system.stopInstance("payment-1", "graceful"),
    remove: (h) => h.system.startInstance("payment-1"),
  },
  {
    name: "inventory down",
    inject: async (h) => {
      await Promise.all(instanceIds(h, "inventory").map((id) => h.system.stopInstance(id, "graceful")));
    },
    remove: async (h) => {
      await Promise.all(instanceIds(h, "inventory").map((id) => h.system.startInstance(id)));
    },
  },
  {
    name: "shipping error 100%",
    inject: (h) => startExperiment(h, { service: "shipping", fault: "error", rate: 1 }, () => readFails(h, "shipping")),
    remove: (h) => endAllExperiments(h, "shipping"),
  },
  {
    // Choreography's first consumer and hybrid's shipping both refuse every message: the events
    // end in the dead-letter queue (kept there: nobody replays them), and the recovery sweeper
    // compensates the orders at its give-up deadline.
    name: "poison messages on consumers",
    inject: async (h) => {
      await h.chaos.start({ service: "payment", fault: "poison", queue: "order-events.payment" });
      await h.chaos.start({ service: "shipping", fault: "poison", queue: "order-events.shipping" });
      h.deadLettersBefore = await countDeadLetters(h);
    },
    midFlight: async (h, placement) => {
      await placement.answers;
      const poisoned = placement.inputs.filter((o) => o.style === "choreography" || o.style === "hybrid").length;
      const before = h.deadLettersBefore ?? 0;
      await h.waitFor(`${poisoned} events in the dead-letter queue`, async () => ((await countDeadLetters(h)) - before >= poisoned ? true : undefined), 90_000);
    },
    remove: async (h) => {
      await h.chaos.reset();
    },
  },
  {
    name: "collector down",
    inject: (h) => h.system.stopInstance("collector-1", "graceful"),
    remove: (h) => h.system.startInstance("collector-1"),
    verify: async (h) => {
      // Business never depended on it; and spans flow again once it is back.
      const placed = await h.placeOrder({ style: "sync", productId: PRODUCT, customerId: "mx-collector-back", quantity: 1 });
      const stored = await h
        .waitFor("a trace stored after the collector came back", async () => {
          const response = await fetch(`${h.system.urls.collector}/api/traces/${placed.traceId}`).catch(() => null);
          return response?.status === 200 ? true : undefined;
        }, 30_000)
        .catch(() => false);
      return stored ? [] : [`no spans of order ${placed.orderId} reached the restarted collector`];
    },
  },
  {
    name: "order SIGKILLed mid-flight",
    placementMayFail: true,
    midFlight: async (h) => {
      await someOrderInFlight(h, new Date(Date.now() - 5_000));
      await h.system.stopInstance("order-1", "kill");
    },
    remove: (h) => h.system.startInstance("order-1"),
  },
  {
    name: "payment SIGKILLed mid-flight",
    midFlight: async (h) => {
      await someOrderInFlight(h, new Date(Date.now() - 5_000));
      await h.system.stopInstance("payment-1", "kill");
    },
    remove: (h) => h.system.startInstance("payment-1"),
  },
];

function instanceIds(h: MatrixHarness, name: string): string[] {
  return h.system.instances().filter((i) => i.service === name).map((i) => i.instanceId);
}
