/**
 * The fault matrix: for each fault the chaos panel (or a crash) can cause and each order style,
 * place orders while the fault is active, remove it, let the system settle, and check the order
 * invariants on the services' own tables. Shared by `tests/system/fault-matrix.int.test.ts` (small)
 * and `npm run chaos:matrix -- --orders N` (large, prints a table).
 */
import type pg from "pg";
import { Redis } from "ioredis";
import { ORDER_STYLES, TERMINAL_ORDER_STATUSES, type OrderStyle, type PlaceOrderInput } from "../../services/contracts/index.ts";
import { ChaosStore } from "../../services/shared/chaos-store.ts";
import { checkOrderInvariants } from "../../tests/support/order-invariants.ts";
import { createFlowProbe } from "../../tests/support/flow-probe.ts";
import type { RunningSystem } from "../launcher/index.ts";
import { PRODUCT, type FaultScenario, type MatrixHarness } from "./harness.ts";

export { FAULT_SCENARIOS } from "./scenarios.ts";
export type { FaultScenario, MatrixHarness } from "./harness.ts";

/** Result of one scenario, per style. */
export type MatrixRow = {
  scenario: string;
  style: OrderStyle;
  placed: number;
  answered: number;
  terminal: number;
  completed: number;
  /** REJECTED or COMPENSATED */
  undone: number;
  stranded: number;
  /** 1 when the style's customer's credit does not match its charges (taken or given back twice). */
  doubleCharges: number;
  orphanReservations: number;
};


/**
 * The order service's recovery deadlines for matrix runs: short, so a stranded order shows up
 * within the settle time (the defaults are minutes, see services/order/env.ts).
 */
export const FAST_RECOVERY_ENV = {
  ORDER_RECOVERY_INTERVAL_MS: "500",
  ORDER_STALE_AFTER_MS: "15000",
  ORDER_GIVE_UP_AFTER_MS: "40000",
  ORDER_RECOVERY_MAX_BACKOFF_MS: "3000",
};

/**
 * The harness over a running system: a probe that places orders at the order service and reads
 * the services' tables, and the chaos store on the system's Redis prefix (every experiment
 * ended). Plenty of stock for the matrix's product, so only faults and refusals decide outcomes.
 */
export async function openMatrixHarness(system: RunningSystem, logs: string[]): Promise<{ harness: MatrixHarness; close(): Promise<void> }> {
  const probe = createFlowProbe({ databaseUrl: system.config.databaseUrl, orderUrl: system.urls.order, collectorUrl: system.urls.collector, logs });
  const redis = new Redis(system.config.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on("error", () => undefined);
  const chaos = new ChaosStore(redis, system.config.redisPrefix);
  await chaos.reset();
  await probe.pool.query(`UPDATE inventory.products SET stock = 1000000 WHERE id = $1`, [PRODUCT]);
  const harness: MatrixHarness = { system, chaos, pool: probe.pool, placeOrder: (input) => probe.placeOrder(input), waitFor: probe.waitFor };
  return {
    harness,
    async close() {
      await chaos.reset().catch(() => undefined);
      redis.disconnect();
      await probe.close();
    },
  };
}


/** The orders of one run: per style, mostly small ones and every fourth too big to ship. */
function orderInputs(perStyle: number, customer: (style: OrderStyle) => string): PlaceOrderInput[] {
  return ORDER_STYLES.flatMap((style) =>
    Array.from({ length: perStyle }, (_, n) => ({ style, productId: PRODUCT, customerId: customer(style), quantity: n % 4 === 3 ? 21 : 1 + (n % 3) })),
  );
}

/**
 * Customers whose available credit is not their limit minus what is still charged: money taken
 * twice (or given back twice). Payments are unique per order, so this reads the accounts' effect.
 */
async function creditMismatches(pool: pg.Pool, customers: readonly string[]): Promise<Set<string>> {
  const { rows } = await pool.query<{ customer_id: string }>(
    `SELECT a.customer_id FROM payment.accounts a
     WHERE a.customer_id = ANY($1)
       AND a.available_cents <> a.credit_limit_cents - coalesce((SELECT sum(p.amount_cents)::int FROM payment.payments p
                                                                 WHERE p.customer_id = a.customer_id AND p.status = 'CHARGED'), 0)`,
    [customers],
  );
  return new Set(rows.map((r) => r.customer_id));
}

/** `work` over every item, at most `limit` at a time, each result settled (never rejects). */
async function settleAll<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!).then(
        (value): PromiseFulfilledResult<R> => ({ status: "fulfilled", value }),
        (reason: unknown): PromiseRejectedResult => ({ status: "rejected", reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

type Counted = { id: string; style: OrderStyle; status: string; reservation: string | null };

async function countEffects(pool: pg.Pool, since: Date): Promise<Counted[]> {
  const { rows } = await pool.query<Counted>(
    `SELECT o.id, o.style::text AS style, o.status::text AS status,
            (SELECT r.status::text FROM inventory.reservations r WHERE r.order_id = o.id) AS reservation
     FROM orders.orders o WHERE o.created_at >= $1`,
    [since],
  );
  return rows;
}

/**
 * Runs one scenario: fault on, `perStyle` orders of each style, fault off, wait (up to
 * `settleMs`) for every order placed since the start to be terminal, then check the invariants.
 * Returns a row per style and the invariant violations (empty when everything holds).
 */
export async function runScenario(
  h: MatrixHarness,
  scenario: FaultScenario,
  options: { perStyle: number; settleMs: number; concurrency?: number },
): Promise<{ rows: MatrixRow[]; problems: string[] }> {
  // Orders of earlier runs still being finished would move the stock under this one's baseline.
  await h.waitFor("earlier orders of the product to finish", async () => {
    const { rows } = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders.orders WHERE product_id = $1 AND status NOT IN ('COMPLETED', 'REJECTED', 'COMPENSATED')`,
      [PRODUCT],
    );
    return rows[0]!.n === 0 ? true : undefined;
  }, options.settleMs);
  const { rows: clock } = await h.pool.query<{ now: Date }>(`SELECT now() AS now`);
  const since = clock[0]!.now;
  const { rows: stock } = await h.pool.query<{ stock: number }>(`SELECT stock FROM inventory.products WHERE id = $1`, [PRODUCT]);
  const initialStock = { [PRODUCT]: stock[0]!.stock };
  // One fresh customer per scenario and style (a unique run tag), so credit effects are per style.
  const tag = `${scenario.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}-${since.getTime().toString(36)}`;
  const customer = (style: OrderStyle) => `mx-${style}-${tag}`.slice(0, 64);

  await scenario.inject?.(h);
  const inputs = orderInputs(options.perStyle, customer);
  const placing = settleAll(inputs, options.concurrency ?? 16, (input) => h.placeOrder(input));
  await scenario.midFlight?.(h, { inputs, answers: placing });
  const answers = await placing;
  await scenario.remove(h);

  const terminal = new Set<string>(TERMINAL_ORDER_STATUSES);
  const settled = async () => (await countEffects(h.pool, since)).every((o) => terminal.has(o.status));
  await h.waitFor(`orders of "${scenario.name}" to settle`, async () => ((await settled()) ? true : undefined), options.settleMs).catch(() => undefined);

  const orders = await countEffects(h.pool, since);
  const problems = await checkOrderInvariants(h.pool, orders.map((o) => o.id), initialStock);
  problems.push(...((await scenario.verify?.(h)) ?? []));
  const failedAnswers = answers.filter((a) => a.status === "rejected");
  if (!scenario.placementMayFail && failedAnswers.length > 0) {
    problems.push(`${failedAnswers.length} placements got no answer, e.g. ${String((failedAnswers[0] as PromiseRejectedResult).reason).slice(0, 300)}`);
  }
  const answeredByStyle = (style: OrderStyle) => answers.filter((a) => a.status === "fulfilled" && a.value.style === style).length;
  const mismatched = await creditMismatches(h.pool, ORDER_STYLES.map(customer));
  const rows = ORDER_STYLES.map((style): MatrixRow => {
    const mine = orders.filter((o) => o.style === style);
    return {
      scenario: scenario.name,
      style,
      placed: options.perStyle,
      answered: answeredByStyle(style),
      terminal: mine.filter((o) => terminal.has(o.status)).length,
      completed: mine.filter((o) => o.status === "COMPLETED").length,
      undone: mine.filter((o) => o.status === "REJECTED" || o.status === "COMPENSATED").length,
      stranded: mine.filter((o) => !terminal.has(o.status)).length,
      doubleCharges: mismatched.has(customer(style)) ? 1 : 0,
      orphanReservations: mine.filter((o) => o.reservation === "RESERVED" && o.status !== "COMPLETED").length,
    };
  });
  return { rows, problems: problems.map((p) => `${scenario.name}: ${p}`) };
}
