/** The types a fault scenario and the matrix share (scripts/chaos/matrix.ts, scenarios.ts). */
import type pg from "pg";
import type { PlaceOrderInput, PlaceOrderOutput } from "../../services/contracts/index.ts";
import type { ChaosStore } from "../../services/shared/chaos-store.ts";
import type { RunningSystem } from "../launcher/index.ts";

/** The product every matrix order is for (its stock is checked after each scenario). */
export const PRODUCT = "sku-espresso";

/** What a scenario acts on. */
export type MatrixHarness = {
  system: RunningSystem;
  /** Dead letters counted when a poison fault started (see countDeadLetters). */
  deadLettersBefore?: number;
  chaos: ChaosStore;
  pool: pg.Pool;
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderOutput>;
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
};

/** The orders of one scenario run, as `midFlight` sees them. */
export type Placement = { inputs: readonly PlaceOrderInput[]; answers: Promise<PromiseSettledResult<PlaceOrderOutput>[]> };

/** One fault: how to cause it, and how to end it. `midFlight` runs while orders are being placed. */
export type FaultScenario = {
  name: string;
  inject?(h: MatrixHarness): Promise<void>;
  midFlight?(h: MatrixHarness, placement: Placement): Promise<void>;
  remove(h: MatrixHarness): Promise<void>;
  /** Placing an order may fail (the order service itself dies mid-flight). */
  placementMayFail?: boolean;
  /** Checks of its own after the orders settled; returns what is wrong. */
  verify?(h: MatrixHarness): Promise<string[]>;
};
