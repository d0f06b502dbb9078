import type { OrderStatus } from "../contracts/index.ts";
import type { RawStatements, TemplateStatements, TransactionalDb } from "../kit/db.ts";
import type { PgDb } from "../kit/pg-tx.ts";
import type { Db } from "./db.ts";
import type { FlowOrder } from "./domain/order-data.ts";
import type { CreditChecker } from "./messaging/credit-check.ts";
import type { Participants } from "./clients/participants.ts";
import type { PriceBook } from "./price-book.ts";

/**
 * Starts the saga of a saga-style order (see saga/orchestrator.ts), and wakes a waiting one when a
 * person's request about it was written.
 */
export type SagaStarter = { start(order: FlowOrder, traceId: string): Promise<void>; nudge(sagaId: string): void };

/** Deadlines of the recovery sweeper (env ORDER_*; see recovery/sweeper.ts). */
export type RecoverySettings = {
  /** How often the sweeper looks for orders that are due. */
  intervalMs: number;
  /**
   * How long the flow that placed an order owns it (after that a dead process's order is taken
   * over), and how long a choreographed or CONFIRMED order may go without its events before
   * the sweeper asks the participants.
   */
  staleAfterMs: number;
  /** Past this age an order that cannot be finished forward is compensated. */
  giveUpAfterMs: number;
  /** Cap of the sweeper's exponential backoff between attempts at one order. */
  maxBackoffMs: number;
};

/**
 * Raw statements, alone or in transactions, on a plain `pg` pool (services/kit/pg-tx.ts): the
 * writes every order makes (insert, confirm with its outbox row, the flow events) cost a fifth
 * of what they cost through Prisma's interactive transactions.
 */
export type OrderSql = TransactionalDb<TemplateStatements & RawStatements> & TemplateStatements & Pick<PgDb, "$statement">;

/** What placing an order talks to. */
export type OrderDeps = {
  /** The typed client (reads, sagas, the sweeper). */
  db: Db;
  /** The hot path's writes (see {@link OrderSql}). */
  sql: OrderSql;
  participants: Participants;
  prices: PriceBook;
  credit: CreditChecker;
  sagas: SagaStarter;
  recovery: RecoverySettings;
};

/** Where a flow leaves the order when `placeOrder` answers. */
export type FlowAnswer = { status: OrderStatus; reason: string | null };
