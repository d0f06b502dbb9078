/**
 * SQL for a parsed trace search (server/trace/search-query.ts): conditions on `telemetry.traces t`
 * that {@link listTraces} ANDs to its own filters. Attribute conditions hold when ANY span of the
 * trace meets them (an EXISTS on telemetry.spans by trace id), on the span's own attributes or on
 * its resource's. Indexes (migration 20261203170000_trace_search_indexes):
 * - `=` and id lookups are JSONB containment (`@>`), served by the GIN jsonb_path_ops index on
 *   spans.attributes: a rare value is found without walking traces.
 * - `exists`, ordering comparisons, `!=` and resource matches are checked span by span on the
 *   traces the time order walks (primary key by trace id), stopping at the limit: fast for common
 *   attributes, bounded by the time range (see anySpanWalking).
 * - Errors only and duration bounds use traces_errors_idx and traces_duration_idx.
 * - Resource conditions are resolved first against telemetry.resources (one row per process), so
 *   spans are matched on resource_id and a condition no resource meets costs nothing.
 */
import { Prisma } from "../../prisma/generated/telemetry/client.ts";
import type { Db } from "../db.ts";
import { ID_ATTRIBUTES, type AttrCondition, type SearchQuery } from "../trace/search-query.ts";

type Json = string | number | boolean | string[];

/** The JSON values an `=` may match: the text, a string array holding it, and the number or boolean it spells. */
function equalValues(c: AttrCondition): Json[] {
  const text = c.value ?? "";
  const values: Json[] = [text, [text]];
  if (c.number !== undefined) values.push(c.number);
  if (text === "true" || text === "false") values.push(text === "true");
  return values;
}

/** `column @> {key: value}` for each value, ORed: each branch can use the GIN index. */
function containsAny(column: Prisma.Sql, key: string, values: Json[]): Prisma.Sql {
  const branches = values.map((v) => Prisma.sql`${column} @> ${JSON.stringify({ [key]: v })}::jsonb`);
  return Prisma.sql`(${Prisma.join(branches, " OR ")})`;
}

/** The predicate of one condition on a JSONB attribute map. */
function attrPredicate(column: Prisma.Sql, c: AttrCondition): Prisma.Sql {
  switch (c.op) {
    case "exists":
      return Prisma.sql`${column} ? ${c.key}`;
    case "=":
      return containsAny(column, c.key, equalValues(c));
    case "!=":
      return Prisma.sql`(${column} ? ${c.key} AND NOT ${containsAny(column, c.key, equalValues(c))})`;
    default: {
      // jsonpath compares numbers only (a string is "unknown": no match) and unwraps arrays.
      const path = `$ ? (@ ${c.op} $n)`;
      return Prisma.sql`jsonb_path_exists(${column} -> ${c.key}, ${path}::jsonpath, jsonb_build_object('n', ${String(c.number)}::numeric))`;
    }
  }
}

/** Ids of the resources meeting `c` (a handful of rows: one per process). */
async function matchingResources(db: Db, c: AttrCondition): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM telemetry.resources r WHERE ${attrPredicate(Prisma.sql`r.attributes`, c)}`;
  return rows.map((r) => r.id.toString());
}

/**
 * Some span of the trace `t` meets `predicate`. The planner may turn this EXISTS into a semi-join
 * driven by the GIN index (a rare value: fetch its few spans, then their traces) or walk traces
 * newest first and probe each (a common value): right when the predicate is indexable.
 */
const anySpan = (predicate: Prisma.Sql) =>
  Prisma.sql`EXISTS (SELECT 1 FROM telemetry.spans s WHERE s.trace_id = t.trace_id AND (${predicate}))`;

/**
 * Some span of the trace `t` meets `predicate`, checked trace by trace as the time-ordered walk
 * reaches them (a scalar subquery is never flattened into a join). For predicates no index serves
 * (`exists`, comparisons, `!=`, resource matches): the alternative the planner would pick for
 * them is a sequential scan of every span, seconds on a large store; this walk stops at the
 * limit and never leaves the time range.
 */
const anySpanWalking = (predicate: Prisma.Sql) =>
  Prisma.sql`COALESCE((SELECT TRUE FROM telemetry.spans s WHERE s.trace_id = t.trace_id AND (${predicate}) LIMIT 1), FALSE)`;

/** The trace condition of `c`; its resource part resolved to resource ids first. */
async function conditionSql(db: Db, c: AttrCondition): Promise<Prisma.Sql> {
  const own = attrPredicate(Prisma.sql`s.attributes`, c);
  const ids = c.scope === "span" ? [] : await matchingResources(db, c);
  const viaResource = Prisma.sql`s.resource_id = ANY(${ids}::int8[])`;
  if (c.scope === "resource") return ids.length === 0 ? Prisma.sql`FALSE` : anySpanWalking(viaResource);
  if (ids.length > 0) return anySpanWalking(Prisma.sql`${own} OR ${viaResource}`);
  return c.op === "=" ? anySpan(own) : anySpanWalking(own);
}

/**
 * Free text: root name substring or trace id prefix (as before search grew). An id (a UUID) is
 * looked up in the id attributes instead: it cannot be a trace id prefix (dashes), span names do
 * not carry ids (OTel: low cardinality), and ORing a root-name scan in would walk every trace
 * (2.3 s instead of 12 ms over 1M spans, see docs/performance.md).
 */
function textCondition(query: SearchQuery): Prisma.Sql | null {
  const id = query.id;
  if (id) return anySpan(Prisma.join(ID_ATTRIBUTES.map((key) => Prisma.sql`s.attributes @> ${JSON.stringify({ [key]: id })}::jsonb`), " OR "));
  if (!query.text) return null;
  const escaped = query.text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return Prisma.sql`(t.root_name ILIKE ${`%${escaped}%`} OR t.trace_id LIKE ${`${escaped.toLowerCase()}%`})`;
}

/** Trace duration in ns, written as the expression index `traces_duration_idx` is. */
const DURATION = Prisma.sql`(t.end_time_unix_nano - t.start_time_unix_nano)`;

/**
 * The WHERE conditions (on `telemetry.traces t`) of a parsed search; empty for an empty query.
 * Async: resource conditions look up matching resources first.
 */
export async function searchConditions(db: Db, query: SearchQuery): Promise<Prisma.Sql[]> {
  const conds: Prisma.Sql[] = [];
  if (query.service !== undefined) conds.push(Prisma.sql`${query.service} = ANY(t.services)`);
  if (query.operation !== undefined) {
    const inService = query.service !== undefined ? Prisma.sql`AND s.service_name = ${query.service}` : Prisma.empty;
    conds.push(anySpan(Prisma.sql`s.name = ${query.operation} ${inService}`));
  }
  if (query.minDurationNs !== undefined) conds.push(Prisma.sql`${DURATION} >= ${BigInt(query.minDurationNs)}`);
  if (query.maxDurationNs !== undefined) conds.push(Prisma.sql`${DURATION} <= ${BigInt(query.maxDurationNs)}`);
  if (query.hasError === true) conds.push(Prisma.sql`t.error_count > 0`);
  if (query.hasError === false) conds.push(Prisma.sql`t.error_count = 0`);
  for (const c of query.conditions) conds.push(await conditionSql(db, c));
  const text = textCondition(query);
  if (text) conds.push(text);
  return conds;
}
