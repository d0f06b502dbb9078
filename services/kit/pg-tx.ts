import { SpanKind, trace } from "@opentelemetry/api";
import pg from "pg";
import { Attr } from "../contracts/index.ts";
import type { TransactionalDb, TransactionOptions } from "./db.ts";
import { statementText } from "./statement.ts";
import { recordSpanError } from "./trpc.ts";

/**
 * Transactions on a plain `pg` pool for the hottest writes: an event handler that is one or two
 * SQL statements (analytics, notification) plus the kit's processed-message ledger. Prisma stays
 * the schema, the migrations and the typed client everywhere else; here its interactive
 * transaction costs 0.7-0.9 ms of Node CPU for two statements against about 0.15 ms through `pg`
 * (profiled with bench:hybrid, see docs/performance.md), and its spans (transaction, statement,
 * BEGIN, COMMIT) outnumber the work. `pg` is the library; this file is the glue that gives a pg
 * transaction the raw-statement surface those handlers and the kit already use, and one span per
 * statement. It satisfies the kit's `RawStatements`.
 */
export type PgTx = {
  /** Tagged-template statement (`tx.$executeRaw\`... ${value} ...\``): values are bound, never spliced. */
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number>;
  /** Tagged-template query: the rows. */
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
};

/**
 * A pool of the service's own database with `$transaction` over {@link PgTx}, and single
 * statements outside a transaction (each is its own implicit transaction).
 */
export type PgDb = TransactionalDb<PgTx> &
  Pick<PgTx, "$executeRaw" | "$queryRaw"> & {
    /**
     * One statement on the pool (its own implicit transaction: no BEGIN/COMMIT round trips),
     * as a CLIENT span named `spanName`: for statements whose text does not name what they do
     * (a CTE around the real work, see guarded-effect.ts).
     */
    $statement<T = unknown>(spanName: string, text: string, values: readonly unknown[]): Promise<T[]>;
    end(): Promise<void>;
  };

const tracer = trace.getTracer("switchyard-pg");

/** Past this many distinct texts (there are a few dozen), statements go unnamed and unremembered. */
const MAX_PREPARED = 500;

/** Span names of the statement texts seen so far: the texts are the code's own, a fixed few dozen. */
const summaries = new Map<string, string>();

/** `INSERT analytics.event_counts`: the operation and the table, as a span name. */
export function statementSummary(text: string): string {
  const known = summaries.get(text);
  if (known) return known;
  const summary = summarize(text);
  if (summaries.size < MAX_PREPARED) summaries.set(text, summary);
  return summary;
}

function summarize(text: string): string {
  const match = /^\s*(?:WITH\s[\s\S]*?\)\s*)?(INSERT\s+INTO|UPDATE|DELETE\s+FROM|SELECT[\s\S]*?\sFROM)\s+("?[\w]+"?(?:\."?[\w]+"?)?)/i.exec(text);
  if (!match) return (/^\s*(\w+)/.exec(text)?.[1] ?? "query").toUpperCase();
  const operation = (match[1] ?? "").split(/\s+/)[0]!.toUpperCase();
  return `${operation} ${(match[2] ?? "").replaceAll('"', "")}`;
}

/** Statement texts given a prepared-statement name so far (see {@link preparedName}). */
const preparedNames = new Map<string, string>();

/**
 * A name under which `pg` prepares the statement once per connection and then only binds and
 * executes it: PostgreSQL parses and plans the hot path's statements once instead of on every
 * call. The texts are the code's own (values are always bound), so the set is small and fixed;
 * prepared statements outlive a rolled-back transaction, so a failed one costs nothing later.
 */
function preparedName(text: string): string | undefined {
  const known = preparedNames.get(text);
  if (known || preparedNames.size >= MAX_PREPARED) return known;
  const name = `sy_pgtx_${preparedNames.size}`;
  preparedNames.set(text, name);
  return name;
}

/**
 * Runs one statement as a CLIENT span (db.system.name, db.query.text), like Prisma's db_query. A
 * statement starts nothing of its own, so its span is never made active (no context switch).
 */
async function traced(client: pg.PoolClient | pg.Pool, text: string, values: readonly unknown[], spanName?: string): Promise<pg.QueryResult> {
  const span = tracer.startSpan(spanName ?? statementSummary(text), {
    kind: SpanKind.CLIENT,
    attributes: { [Attr.DB_SYSTEM_NAME]: "postgresql", [Attr.DB_QUERY_TEXT]: text },
  });
  try {
    return await client.query({ text, values: values as unknown[], name: preparedName(text) });
  } catch (error) {
    // error.type: the SQLSTATE PostgreSQL answered, as the database conventions ask.
    recordSpanError(span, error, (error as { code?: unknown }).code?.toString() ?? "postgresql");
    throw error;
  } finally {
    span.end();
  }
}

/** `$1, $2, ...` for a tagged template's values. */
const templateText = (strings: TemplateStringsArray): string => statementText({ strings, values: [] });

function txOf(client: pg.PoolClient): PgTx {
  return {
    $executeRaw: async (strings, ...values) => (await traced(client, templateText(strings), values)).rowCount ?? 0,
    $queryRaw: async <T>(strings: TemplateStringsArray, ...values: unknown[]) => (await traced(client, templateText(strings), values)).rows as T,
    $executeRawUnsafe: async (text, ...values) => (await traced(client, text, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(text: string, ...values: unknown[]) => (await traced(client, text, values)).rows as T,
  };
}

/**
 * The limits of a Prisma interactive transaction by default (2 s to get a connection, 5 s to
 * run): an RPC moved from Prisma to `pg` keeps them.
 */
export const PRISMA_TX_DEFAULTS: TransactionOptions = { maxWait: 2_000, timeout: 5_000 };

/**
 * A `pg` pool on `connectionString` whose `$transaction(fn)` runs `fn` between BEGIN and COMMIT
 * on one connection (ROLLBACK when `fn` throws). `timeout` becomes the transaction's
 * statement_timeout; `maxWait` the pool's wait for a connection.
 */
export function createPgDb(
  connectionString: string,
  options: { max?: number; defaults?: TransactionOptions; statementTimeoutMs?: number } = {},
): PgDb {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.defaults?.maxWait ?? 10_000,
    application_name: "switchyard-pg-tx",
    // The limit of a statement outside a transaction (inside one, SET LOCAL overrides it).
    ...(options.statementTimeoutMs ? { statement_timeout: Math.trunc(options.statementTimeoutMs) } : {}),
  });
  pool.on("error", (error) => console.error(`pg pool error: ${error.message}`));
  const timeoutOf = (transaction?: TransactionOptions) => transaction?.timeout ?? options.defaults?.timeout;
  return {
    async $transaction<R>(fn: (tx: PgTx) => Promise<R>, transaction?: TransactionOptions): Promise<R> {
      const client = await pool.connect();
      let broken = false;
      try {
        const timeout = timeoutOf(transaction);
        await client.query(timeout ? `BEGIN; SET LOCAL statement_timeout = ${Math.trunc(timeout)}` : "BEGIN");
        const result = await fn(txOf(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => (broken = true));
        throw error;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: drop it rather than reuse it.
        client.release(broken);
      }
    },
    $executeRawUnsafe: async (text, ...values) => (await pool.query(text, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(text: string, ...values: unknown[]) => (await pool.query(text, values)).rows as T,
    $executeRaw: async (strings, ...values) => (await traced(pool, templateText(strings), values)).rowCount ?? 0,
    $queryRaw: async <T>(strings: TemplateStringsArray, ...values: unknown[]) => (await traced(pool, templateText(strings), values)).rows as T,
    $statement: async <T>(spanName: string, text: string, values: readonly unknown[]) => (await traced(pool, text, values, spanName)).rows as T[],
    end: () => pool.end(),
  };
}
