/**
 * `npm run chaos:matrix -- [--orders N] [--settle-ms MS]`: the fault matrix at a larger size.
 * Starts its own system (database `switchyard_chaos`, Redis prefix `sychaos`, ports 48xx, the
 * order service's recovery with short deadlines), runs every scenario of matrix.ts with N orders
 * per style, and prints a table: scenario x style -> placed, answered, terminal, completed,
 * undone, stranded, double charges, orphan reservations; then every invariant violation. Exit
 * code 1 when any order was stranded or any invariant broke.
 */
import { parseArgs } from "node:util";
import { startSystem } from "../launcher/index.ts";
import { recreateDatabase } from "../launcher/database.ts";
import { FAST_RECOVERY_ENV, FAULT_SCENARIOS, openMatrixHarness, runScenario, type MatrixRow } from "./matrix.ts";

const { values } = parseArgs({ options: { orders: { type: "string", default: "10" }, "settle-ms": { type: "string", default: "180000" } } });
const perStyle = Number(values.orders);
const settleMs = Number(values["settle-ms"]);
if (!Number.isInteger(perStyle) || perStyle < 1 || perStyle > 1000) {
  console.error("--orders must be an integer from 1 to 1000 (orders per style and scenario)");
  process.exit(2);
}

const DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/switchyard_chaos";
const PREFIX = "sychaos";
const PORTS = { collector: 4818, order: 4801, inventory: 4802, notification: 4803, payment: 4804, shipping: 4805, analytics: 4806, gateway: 4800, dashboard: 3800 };

await recreateDatabase(DATABASE_URL);
const system = await startSystem({
  databaseUrl: DATABASE_URL,
  redisPrefix: PREFIX,
  ports: PORTS,
  processes: ["collector", "inventory", "payment", "shipping", "order", "notification", "analytics"],
  env: { order: FAST_RECOVERY_ENV },
  healthTimeoutMs: 180_000,
  output: () => undefined,
});
const logs: string[] = [];
const { harness, close } = await openMatrixHarness(system, logs);
const rows: MatrixRow[] = [];
const problems: string[] = [];
try {
  for (const scenario of FAULT_SCENARIOS) {
    const started = Date.now();
    const result = await runScenario(harness, scenario, { perStyle, settleMs });
    rows.push(...result.rows);
    problems.push(...result.problems);
    console.error(`${scenario.name}: ${((Date.now() - started) / 1000).toFixed(0)} s, ${result.problems.length} problem(s)`);
  }
} finally {
  await close();
  await system.stop();
}
console.table(rows);
for (const problem of problems) console.log(`PROBLEM ${problem}`);
const stranded = rows.reduce((sum, row) => sum + row.stranded, 0);
console.log(JSON.stringify({ orders: rows.reduce((sum, row) => sum + row.placed, 0), stranded, problems: problems.length }));
process.exit(stranded === 0 && problems.length === 0 ? 0 : 1);
