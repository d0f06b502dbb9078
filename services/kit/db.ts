import { PrismaPg } from "@prisma/adapter-pg";

/**
 * What the kit's helpers (the processed-message ledger, the outbox) need of a transaction: raw
 * statements on the service's own schema. Each service has its own generated client
 * (services/<name>/db.ts), knowing only its own tables; the kit is written against this shape so
 * it takes any of them.
 */
export type RawStatements = {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
};

/**
 * Tagged-template statements, as both a Prisma transaction and a `pg` one (pg-tx.ts) offer them:
 * code written against this runs in either (a handler on the hot path, the same step behind an RPC).
 */
export type TemplateStatements = {
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
};

/** Interactive-transaction options (Prisma's defaults: 2 s to get a connection, 5 s per transaction). */
export type TransactionOptions = { maxWait?: number; timeout?: number };

/** A service's client as the kit sees it: raw statements and interactive transactions over `TTx`. */
export type TransactionalDb<TTx extends RawStatements> = RawStatements & {
  $transaction<R>(fn: (tx: TTx) => Promise<R>, options?: TransactionOptions): Promise<R>;
};

/** The transaction client of a Prisma client `D` (`db.$transaction(async (tx) => ...)`). */
export type TransactionOf<D extends { $transaction: (...args: never[]) => unknown }> = Parameters<Parameters<D["$transaction"]>[0]>[0];

/** A generated Prisma client class (prisma/generated/<schema>/client.ts). */
export type ClientClass<C> = new (options: { adapter: PrismaPg }) => C;

/** A service's Prisma client over the `pg` driver adapter; call `$disconnect()` when done. */
export function createDb<C>(Client: ClientClass<C>, connectionString: string): C {
  return new Client({ adapter: new PrismaPg({ connectionString }) });
}
