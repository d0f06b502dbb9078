/**
 * Query parameters of Jaeger's query API (pure: no I/O), read as jaeger-query reads them
 * (jaegertracing/jaeger `cmd/query/app/query_parser.go`) and mapped onto the span store's own
 * trace search (`ListTracesOptions` + `SearchQuery`, server/store/read.ts and search.ts):
 * - `start`/`end`: Unix microseconds (trace start within them); `start` defaults to 2 days ago
 *   (jaeger-query's default lookback), `end` to now.
 * - `minDuration`/`maxDuration`: Go durations (`1.2s`, `100ms`, `1h30m`, `250us`).
 * - `tags`: a JSON object `{"k":"v"}` (what Jaeger UI and Grafana send), or logfmt `k=v k2="a b"`;
 *   `tag=k:v` (repeatable) as well. `error=true|false` means an error span / none (our store keeps
 *   the status as a field, not a tag); every other tag is an attribute `=` condition.
 * - `limit`: default 100 (jaeger-query's), at most 500 (the store's page).
 * Bad input throws a {@link JaegerParamError} whose message names the parameter, as Jaeger does.
 */
import type { ListTracesOptions } from "../../store/read.ts";
import type { AttrCondition, SearchQuery } from "../../trace/search-query.ts";

/** A parameter Jaeger would refuse with 400. */
export class JaegerParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JaegerParamError";
  }
}

/** jaeger-query's `defaultQueryLimit`. */
export const DEFAULT_TRACE_LIMIT = 100;
/** The largest page `listTraces` answers. */
export const MAX_TRACE_LIMIT = 500;
/** How far back a search looks when `start` is absent: 2 days, jaeger-query's default lookback. */
export const DEFAULT_SEARCH_LOOKBACK_US = 2 * 24 * 3600 * 1_000_000;
/** jaeger-query's `defaultDependencyLookbackDuration`: 24 h. */
export const DEFAULT_DEPENDENCY_LOOKBACK_MS = 24 * 3600 * 1000;

const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const NS_PER_UNIT: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go `time.ParseDuration` string as nanoseconds (`1h30m`, `1.2s`, `-` not allowed); null when malformed. */
export function parseGoDuration(text: string): number | null {
  if (text === "0") return 0;
  GO_DURATION_PART.lastIndex = 0;
  let total = 0;
  let parts = 0;
  while (GO_DURATION_PART.lastIndex < text.length) {
    const match = GO_DURATION_PART.exec(text);
    if (!match) return null;
    total += Number(match[1]) * NS_PER_UNIT[match[2]!]!;
    parts++;
  }
  return parts > 0 ? Math.round(total) : null;
}

function integerParam(params: URLSearchParams, name: string): bigint | undefined {
  const text = params.get(name);
  if (text === null || text === "") return undefined;
  if (!/^\d{1,19}$/.test(text)) throw new JaegerParamError(`unable to parse param '${name}': strconv.ParseInt: parsing "${text}": invalid syntax`);
  return BigInt(text);
}

function durationParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === "") return undefined;
  const ns = parseGoDuration(text);
  if (ns === null) throw new JaegerParamError(`unable to parse param '${name}': time: invalid duration "${text}"`);
  return ns;
}

/** logfmt `k=v k2="a b" flag` as a map (a bare key is "true", as the logfmt package Jaeger UI uses reads it). */
export function parseLogfmt(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pair = /\s*([^\s="]+)(?:=(?:"((?:[^"\\]|\\.)*)"|([^\s"]*)))?/y;
  let at = 0;
  while (at < text.length) {
    if (text.slice(at).trim() === "") break;
    pair.lastIndex = at;
    const match = pair.exec(text);
    if (!match) throw new JaegerParamError(`malformed 'tags' parameter, neither a JSON object nor logfmt near column ${at + 1}: ${text}`);
    const [, key, quoted, bare] = match;
    out[key!] = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : match[0].includes("=") ? (bare ?? "") : "true";
    at = pair.lastIndex;
  }
  return out;
}

/** Every `tags` (JSON object or logfmt) and `tag` (`key:value`) parameter, merged. */
export function parseTags(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of params.getAll("tag")) {
    const colon = tag.indexOf(":");
    if (colon <= 0) throw new JaegerParamError(`malformed 'tag' parameter, expecting key:value, received: ${tag}`);
    tags[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  for (const text of params.getAll("tags")) {
    if (text.trim().startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new JaegerParamError(`malformed 'tags' parameter, cannot unmarshal JSON: ${(err as Error).message}`);
      }
      const entries = Object.entries(parsed as Record<string, unknown>);
      if (parsed === null || Array.isArray(parsed) || entries.some(([, v]) => typeof v !== "string")) {
        throw new JaegerParamError("malformed 'tags' parameter, cannot unmarshal JSON: values must be strings ({\"key\":\"value\"})");
      }
      Object.assign(tags, parsed);
    } else {
      Object.assign(tags, parseLogfmt(text));
    }
  }
  return tags;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A tag as the search's attribute condition: `=` on the text, and on the number it spells. */
function tagCondition(key: string, value: string): AttrCondition {
  return NUMBER.test(value) ? { key, scope: "any", op: "=", value, number: Number(value) } : { key, scope: "any", op: "=", value };
}

/**
 * `GET /api/traces?service=&operation=&tags=&minDuration=&maxDuration=&start=&end=&limit=` as
 * the store's trace search options. Throws {@link JaegerParamError}.
 */
export function parseTraceSearch(params: URLSearchParams, nowUs: bigint): ListTracesOptions {
  const endUs = integerParam(params, "end") ?? nowUs;
  const startUs = integerParam(params, "start") ?? endUs - BigInt(DEFAULT_SEARCH_LOOKBACK_US);
  const minDurationNs = durationParam(params, "minDuration");
  const maxDurationNs = durationParam(params, "maxDuration");
  if (minDurationNs !== undefined && maxDurationNs !== undefined && minDurationNs !== 0 && maxDurationNs !== 0 && maxDurationNs < minDurationNs) {
    throw new JaegerParamError("'maxDuration' should be greater than 'minDuration'");
  }
  const limitParam = integerParam(params, "limit");
  const limit = limitParam === undefined || limitParam === 0n ? DEFAULT_TRACE_LIMIT : Math.min(MAX_TRACE_LIMIT, Number(limitParam));

  const query: SearchQuery = { conditions: [] };
  const service = params.get("service");
  const operation = params.get("operation");
  if (service) query.service = service;
  if (operation) query.operation = operation;
  if (minDurationNs) query.minDurationNs = minDurationNs;
  if (maxDurationNs) query.maxDurationNs = maxDurationNs;
  for (const [key, value] of Object.entries(parseTags(params))) {
    if (key === "error" && (value === "true" || value === "false")) query.hasError = value === "true";
    else query.conditions.push(tagCondition(key, value));
  }
  return {
    limit,
    afterStartNs: (startUs * 1000n).toString(),
    startToNs: (endUs * 1000n).toString(),
    ...(service ? { service } : {}),
    query,
  };
}

/** `GET /api/dependencies?endTs=&lookback=` (milliseconds both) as a window [fromMs, toMs). */
export function parseDependencyWindow(params: URLSearchParams, nowMs: number): { fromMs: number; toMs: number } {
  const endTs = integerParam(params, "endTs");
  const lookback = integerParam(params, "lookback");
  const toMs = endTs === undefined ? nowMs : Number(endTs);
  const fromMs = toMs - (lookback === undefined ? DEFAULT_DEPENDENCY_LOOKBACK_MS : Number(lookback));
  // A minute bucket that started before endTs is counted: the window is [from, to] rounded out.
  return { fromMs, toMs: toMs + 1 };
}

/** Jaeger span kinds (`spanKind=`) as stored kinds; "" is every kind. */
const SPAN_KINDS: Record<string, string> = {
  server: "SERVER",
  client: "CLIENT",
  producer: "PRODUCER",
  consumer: "CONSUMER",
  internal: "INTERNAL",
  unspecified: "UNSPECIFIED",
};

/** `spanKind=server|client|producer|consumer|internal` as a stored kind; undefined for none. */
export function parseSpanKind(params: URLSearchParams): string | undefined {
  const kind = params.get("spanKind");
  if (kind === null || kind === "") return undefined;
  const stored = SPAN_KINDS[kind.toLowerCase()];
  if (!stored) throw new JaegerParamError(`unsupported span kind: '${kind}'`);
  return stored;
}
