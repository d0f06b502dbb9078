/**
 * Prisma client factory for the dashboard side and the store's read API. The caller passes the
 * connection string (and, if it wants another one, the statement timeout) from its own validated
 * env (nothing here reads `process.env`).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../prisma/generated/telemetry/client.ts";

/** The database handle the read API (`server/store/read.ts`) takes. */
export type Db = PrismaClient;

/** A dashboard read that runs longer than this is cancelled by PostgreSQL itself. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/** Options of {@link createDb}. */
export type DbOptions = {
  /** Server-side `statement_timeout` of every connection of the pool (ms, > 0). */
  statementTimeoutMs?: number;
};

/** PostgreSQL's SQLSTATE for a cancelled statement (query_canceled), e.g. by statement_timeout. */
const QUERY_CANCELED = "57014";

/** Each client's statement timeout, so an error can say how long the query was allowed. */
const statementTimeouts = new WeakMap<Db, number>();

/**
 * Creates a Prisma client over node-postgres; call `$disconnect()` when done. Every connection
 * gets a `statement_timeout` (pg sends it in the startup packet), so no read, however hostile its
 * filter or large its trace, holds a connection and a backend for longer than that.
 */
export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  if (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs <= 0) {
    throw new Error(`createDb: statementTimeoutMs must be a positive integer, got ${statementTimeoutMs}`);
  }
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString, statement_timeout: statementTimeoutMs }) });
  statementTimeouts.set(db, statementTimeoutMs);
  return db;
}

/** The statement timeout `db` was created with (ms), or null for a client not made by {@link createDb}. */
export function statementTimeoutOf(db: Db): number | null {
  return statementTimeouts.get(db) ?? null;
}

/**
 * True when `error` is PostgreSQL cancelling the statement (the statement timeout fired), as
 * Prisma reports it (P2010 with the SQLSTATE under `meta.driverAdapterError.cause`) or as pg does.
 */
export function isStatementTimeout(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  return code === QUERY_CANCELED || meta?.driverAdapterError?.cause?.originalCode === QUERY_CANCELED;
}
