import type { PgDb } from "./pg-tx.ts";
import { statementSummary } from "./pg-tx.ts";
import { composedTextCache, statementText, type Statement } from "./statement.ts";

export { sql, type Statement } from "./statement.ts";

/**
 * The CTE an effect reads so that it runs for the first delivery only: an effect is written as
 * `INSERT ... SELECT ... FROM "first"` (or `... WHERE EXISTS (SELECT 1 FROM "first")`), and a
 * redelivery, whose ledger insert finds its row, selects nothing.
 */
export const FIRST_DELIVERY_CTE = `"first"`;

/** The ledger insert and the effect, as one text, per (schema, effect call site). */
const texts = new Map<string, ReturnType<typeof composedTextCache>>();

function ledgerInsert(schema: string): string {
  return `INSERT INTO "${schema}"."processed_messages" ("consumer", "message_id") VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING RETURNING 1`;
}

/**
 * The text of `effect` guarded by the processed-message ledger of `schema` (values `$1`
 * consumer, `$2` message id, then the effect's own). A template's strings are one object per
 * call site, so each site's text is built once (and prepared once per connection, pg-tx.ts).
 */
export function guardedEffectText(schema: string, effect: Statement | null): string {
  if (!effect) return `WITH ${FIRST_DELIVERY_CTE} AS (${ledgerInsert(schema)}) SELECT count(*)::int AS "first" FROM ${FIRST_DELIVERY_CTE}`;
  const cached = texts.get(schema) ?? texts.set(schema, composedTextCache()).get(schema)!;
  return cached(effect, () => {
    const body = statementText(effect, 3);
    // Without reading "first" the effect would run again on every redelivery: refuse such code.
    if (!body.includes(FIRST_DELIVERY_CTE)) throw new Error(`a guarded effect must read ${FIRST_DELIVERY_CTE}: ${body.trim().slice(0, 80)}`);
    return `WITH ${FIRST_DELIVERY_CTE} AS (${ledgerInsert(schema)}),\n"effect" AS (${body})\nSELECT count(*)::int AS "first" FROM ${FIRST_DELIVERY_CTE}`;
  });
}

/**
 * Records (consumer, messageId) in `schema`'s ledger and applies `effect` in ONE statement, so
 * both or neither happen without a transaction around them: 1 round trip instead of 4 (BEGIN,
 * ledger, effect, COMMIT) and one span. A concurrent duplicate waits on the ledger's unique key
 * and then selects nothing, as in a transaction. True when this delivery was the first.
 * The span is named after the effect (`INSERT analytics.event_counts`), or the ledger without one.
 */
export async function applyGuardedEffect(
  db: PgDb,
  schema: string,
  consumer: string,
  messageId: string,
  effect: Statement | null,
): Promise<boolean> {
  const text = guardedEffectText(schema, effect);
  const spanName = effect ? statementSummary(effect.strings.join("$")) : `INSERT ${schema}.processed_messages`;
  const rows = await db.$statement<{ first: number }>(spanName, text, [consumer, messageId, ...(effect?.values ?? [])]);
  return (rows[0]?.first ?? 0) > 0;
}
