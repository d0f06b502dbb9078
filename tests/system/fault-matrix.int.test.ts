/**
 * The fault matrix (issue: faults never strand an order). For every fault the chaos panel can
 * inject, and crashes of the order service and of a participant, orders of every style are placed
 * while the fault is active; after it is removed, every order must reach a terminal status and
 * the effects (stock, charges, reservations, shipments) must agree with it. Real processes, real
 * Redis and PostgreSQL; the order service's recovery runs with short deadlines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAST_RECOVERY_ENV, FAULT_SCENARIOS, openMatrixHarness, runScenario, type MatrixHarness } from "../../scripts/chaos/matrix.ts";
import type { RunningSystem } from "../../scripts/launcher/index.ts";
import { startTestSystem } from "../support/start-system.ts";

const PROCESSES = ["collector", "inventory", "payment", "shipping", "order", "notification", "analytics"] as const;

let system: RunningSystem;
let harness: MatrixHarness;
let closeHarness: (() => Promise<void>) | undefined;
const logs: string[] = [];

beforeAll(async () => {
  system = await startTestSystem({ processes: PROCESSES, env: { order: FAST_RECOVERY_ENV } }, logs);
  ({ harness, close: closeHarness } = await openMatrixHarness(system, logs));
}, 300_000);

afterAll(async () => {
  await closeHarness?.();
  await system?.stop();
});

describe("fault matrix", () => {
  for (const scenario of FAULT_SCENARIOS) {
    it(`every order of every style ends terminal, with consistent effects: ${scenario.name}`, { timeout: 240_000 }, async () => {
      const { rows, problems } = await runScenario(harness, scenario, { perStyle: 2, settleMs: 120_000 });
      console.table(rows);
      expect(problems, logs.slice(-30).join("\n")).toEqual([]);
      expect(rows.every((row) => row.stranded === 0 && row.terminal === row.placed || scenario.placementMayFail)).toBe(true);
    });
  }
});
