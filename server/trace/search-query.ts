/**
 * The trace search box's language (pure: no I/O), parsed into a {@link SearchQuery} that
 * server/store/search.ts turns into SQL. Terms are separated by spaces and all must hold:
 *
 *   key=value  key!=value  key>n  key>=n  key<n  key<=n  key exists     attribute conditions
 *   span.key=…  resource.key=…                      only span / only resource attributes
 *   service:order  op:"process order-events"        service, operation (span name)
 *   minDuration:100ms  maxDuration:2s               trace duration (ns, us, ms, s, m, h)
 *   status:error  status:ok                         traces with / without an error span
 *   a UUID alone                                    an order, saga, message or correlation id
 *                                                   (see ID_ATTRIBUTES) on any span
 *   anything else                                   root span name substring, trace id prefix
 *
 * Values with spaces go in double quotes (`\"` and `\\` inside). An unscoped condition holds when
 * some span of the trace has the attribute, or that span's resource has it; each condition may be
 * met by a different span. Bad input throws a {@link SearchQueryError} saying what and where.
 */
import { Attr } from "../../services/contracts/semconv.ts";

export type ConditionOp = "=" | "!=" | ">" | ">=" | "<" | "<=" | "exists";
/** Where an attribute is looked up: the span's own attributes, its resource's, or either. */
export type AttrScope = "any" | "span" | "resource";

/** One attribute condition. `number` is set for the ordering operators (and `=`/`!=` on a number). */
export type AttrCondition = { key: string; scope: AttrScope; op: ConditionOp; value?: string; number?: number };

/** What the search box asked for; every part is optional and all parts must hold. */
export type SearchQuery = {
  service?: string;
  operation?: string;
  minDurationNs?: number;
  maxDurationNs?: number;
  hasError?: boolean;
  conditions: AttrCondition[];
  /** Free text: root span name substring or trace id prefix. */
  text?: string;
  /** Set when `text` is one id this system issues (a UUID, lower-cased): looked up in {@link ID_ATTRIBUTES} instead. */
  id?: string;
};

/** Span attributes holding the ids a user may paste: order, saga, message, correlation and friends. */
export const ID_ATTRIBUTES = [
  Attr.ORDER_ID,
  Attr.SAGA_ID,
  Attr.MESSAGING_MESSAGE_ID,
  Attr.MESSAGING_CONVERSATION_ID,
  Attr.PAYMENT_ID,
  Attr.SHIPMENT_ID,
  Attr.OUTBOX_ID,
] as const;

/** Bad search text; `column` is 1-based. The message is meant for the user as is. */
export class SearchQueryError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = "SearchQueryError";
  }
}

type Token = { kind: "word" | "quoted" | "op"; text: string; column: number };

const OPERATORS = ["!=", ">=", "<=", "=", ">", "<", ":"] as const;
const WORD_END = /[\s"=!<>:]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^-?\d+(\.\d+)?$/;
const KEY = /^[A-Za-z0-9_@][A-Za-z0-9_.\-/@]*$/;
const DURATION = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/;
const NS_PER_UNIT: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const FILTERS = ["service", "op", "operation", "minDuration", "maxDuration", "status"] as const;
type FilterName = (typeof FILTERS)[number];

function readQuoted(input: string, start: number): { text: string; end: number } {
  let text = "";
  for (let i = start + 1; i < input.length; i++) {
    const c = input[i]!;
    if (c === "\\" && i + 1 < input.length) text += input[++i];
    else if (c === '"') return { text, end: i + 1 };
    else text += c;
  }
  throw new SearchQueryError(`Unclosed quote: the " at column ${start + 1} has no closing "`, start + 1);
}

/** Splits the text into words, "quoted strings" and operators. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const { text, end } = readQuoted(input, i);
      tokens.push({ kind: "quoted", text, column: i + 1 });
      i = end;
    } else if (tokens[tokens.length - 1]?.kind === "op") {
      // A value runs to the next space: `url.full=http://x/a?b=c` needs no quotes.
      let end = i;
      while (end < input.length && !/[\s"]/.test(input[end]!)) end++;
      tokens.push({ kind: "word", text: input.slice(i, end), column: i + 1 });
      i = end;
    } else {
      const op = OPERATORS.find((o) => input.startsWith(o, i));
      if (op) {
        tokens.push({ kind: "op", text: op, column: i + 1 });
        i += op.length;
        continue;
      }
      if (c === "!") throw new SearchQueryError(`"!" at column ${i + 1} must be followed by "=" (key!=value)`, i + 1);
      let end = i;
      while (end < input.length && !WORD_END.test(input[end]!)) end++;
      tokens.push({ kind: "word", text: input.slice(i, end), column: i + 1 });
      i = end;
    }
  }
  return tokens;
}

/** `100ms`, `1.5s`, `2m` as nanoseconds. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  return match ? Math.round(Number(match[1]) * NS_PER_UNIT[match[2]!]!) : null;
}

function scopedKey(token: Token): Pick<AttrCondition, "key" | "scope"> {
  const raw = token.text;
  if (raw === "" || (token.kind === "word" && !KEY.test(raw))) {
    throw new SearchQueryError(`"${raw}" at column ${token.column} is not an attribute name`, token.column);
  }
  if (raw.startsWith("span.") && raw.length > 5) return { key: raw.slice(5), scope: "span" };
  if (raw.startsWith("resource.") && raw.length > 9) return { key: raw.slice(9), scope: "resource" };
  return { key: raw, scope: "any" };
}

function valueAfter(tokens: Token[], at: number, what: string): Token {
  const value = tokens[at];
  if (!value || value.kind === "op") {
    const column = value?.column ?? (tokens[at - 1]!.column + tokens[at - 1]!.text.length);
    throw new SearchQueryError(`${what} needs a value at column ${column} (quote values with spaces: "a b")`, column);
  }
  return value;
}

function condition(key: Token, op: Token, value: Token): AttrCondition {
  const base = { ...scopedKey(key), op: op.text as ConditionOp };
  if (op.text === "=" || op.text === "!=") {
    return NUMBER.test(value.text) ? { ...base, value: value.text, number: Number(value.text) } : { ...base, value: value.text };
  }
  if (!NUMBER.test(value.text)) {
    throw new SearchQueryError(`"${op.text}" compares numbers: "${value.text}" at column ${value.column} is not a number`, value.column);
  }
  return { ...base, number: Number(value.text) };
}

function applyFilter(query: SearchQuery, name: Token, value: Token): void {
  if (!(FILTERS as readonly string[]).includes(name.text)) {
    throw new SearchQueryError(
      `Unknown filter "${name.text}:" at column ${name.column}; filters are ${FILTERS.map((f) => `${f}:`).join(", ")}`,
      name.column,
    );
  }
  const filter = name.text as FilterName;
  if (filter === "service") query.service = value.text;
  else if (filter === "op" || filter === "operation") query.operation = value.text;
  else if (filter === "status") {
    if (value.text !== "error" && value.text !== "ok") {
      throw new SearchQueryError(`status: is "error" or "ok", not "${value.text}" (column ${value.column})`, value.column);
    }
    query.hasError = value.text === "error";
  } else {
    const ns = parseDuration(value.text);
    if (ns === null) {
      throw new SearchQueryError(`"${value.text}" at column ${value.column} is not a duration; write e.g. 250ms, 1.5s, 2m (units ns, us, ms, s, m, h)`, value.column);
    }
    if (filter === "minDuration") query.minDurationNs = ns;
    else query.maxDurationNs = ns;
  }
}

/**
 * Parses the search box text. Throws {@link SearchQueryError} on bad input.
 * @example parseSearchQuery('app.order.style=saga http.response.status_code>=500 minDuration:100ms')
 */
export function parseSearchQuery(input: string): SearchQuery {
  const tokens = tokenize(input);
  const query: SearchQuery = { conditions: [] };
  const text: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token.kind === "op") {
      throw new SearchQueryError(`"${token.text}" at column ${token.column} needs an attribute name before it (key${token.text}value)`, token.column);
    }
    if (next?.kind === "op" && next.text === ":") {
      applyFilter(query, token, valueAfter(tokens, i + 2, `Filter "${token.text}:"`));
      i += 2;
    } else if (next?.kind === "op") {
      query.conditions.push(condition(token, next, valueAfter(tokens, i + 2, `"${token.text}${next.text}"`)));
      i += 2;
    } else if (next?.kind === "word" && next.text === "exists") {
      query.conditions.push({ ...scopedKey(token), op: "exists" });
      i += 1;
    } else {
      text.push(token.text);
    }
  }
  if (query.minDurationNs !== undefined && query.maxDurationNs !== undefined && query.minDurationNs > query.maxDurationNs) {
    throw new SearchQueryError("minDuration is longer than maxDuration: nothing can match", 1);
  }
  if (text.length > 0) query.text = text.join(" ");
  if (text.length === 1 && UUID.test(text[0]!)) query.id = text[0]!.toLowerCase();
  return query;
}
