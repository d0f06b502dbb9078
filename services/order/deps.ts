import type { Db } from "../kit/db.ts";
import type { FlowOrder } from "./domain/order-data.ts";
import type { CreditChecker } from "./messaging/credit-check.ts";
import type { Participants } from "./participants.ts";
import type { PriceBook } from "./price-book.ts";

/** Starts the saga of a saga-style order (see saga/orchestrator.ts). */
export type SagaStarter = { start(order: FlowOrder, traceId: string): Promise<void> };

/** What placing an order talks to. */
export type OrderDeps = {
  db: Db;
  participants: Participants;
  prices: PriceBook;
  credit: CreditChecker;
  sagas: SagaStarter;
};

/** Where a flow leaves the order when `placeOrder` answers. */
export type FlowAnswer = { status: "PENDING" | "COMPLETED" | "REJECTED" | "COMPENSATED"; reason: string | null };
