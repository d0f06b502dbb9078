import { describe, expect, it } from "vitest";
import { DEFAULT_TRACE_LIMIT, JaegerParamError, parseDependencyWindow, parseGoDuration, parseLogfmt, parseSpanKind, parseTags, parseTraceSearch } from "./params.ts";
import { toDependencyLinks } from "./dependencies.ts";
import { shapeDifferences } from "./testing/shape.ts";
import { toJaegerJson } from "../../trace/jaeger-json.ts";
import type { StoredSpan } from "../../store/types.ts";
import orderFlow from "../../trace/fixtures/order-flow.json" with { type: "json" };
import traceFixture from "./fixtures/trace.json" with { type: "json" };

const NOW_US = 1_764_763_200_000_000n;
const q = (text: string) => new URLSearchParams(text);

describe("Go durations (minDuration, maxDuration)", () => {
  it("reads what time.ParseDuration reads", () => {
    expect(parseGoDuration("1.2s")).toBe(1_200_000_000);
    expect(parseGoDuration("100ms")).toBe(100_000_000);
    expect(parseGoDuration("250us")).toBe(250_000);
    expect(parseGoDuration("250µs")).toBe(250_000);
    expect(parseGoDuration("1h30m")).toBe(5_400_000_000_000);
    expect(parseGoDuration("0")).toBe(0);
  });
  it("refuses what it refuses", () => {
    for (const bad of ["", "1", "ms", "1.2 s", "1x", "-1s", "1s2"]) expect(parseGoDuration(bad)).toBeNull();
  });
});

describe("tags (JSON object, logfmt, tag=k:v)", () => {
  it("reads Jaeger UI's and Grafana's JSON object", () => {
    expect(parseTags(q(`tags=${encodeURIComponent('{"http.response.status_code":"500","app.order.style":"saga"}')}`))).toEqual({
      "http.response.status_code": "500",
      "app.order.style": "saga",
    });
  });
  it("reads logfmt, quoted values and bare keys", () => {
    expect(parseLogfmt('error=true app.order.style=saga note="a b \\"c\\"" flag')).toEqual({ error: "true", "app.order.style": "saga", note: 'a b "c"', flag: "true" });
    expect(parseTags(q("tags=rpc.method%3Dcharge"))).toEqual({ "rpc.method": "charge" });
  });
  it("reads repeated tag=key:value, values may hold colons", () => {
    expect(parseTags(q("tag=url.full:http://x:80/a&tag=k:v"))).toEqual({ "url.full": "http://x:80/a", k: "v" });
  });
  it("refuses malformed input with Jaeger's messages", () => {
    expect(() => parseTags(q("tag=novalue"))).toThrow("malformed 'tag' parameter, expecting key:value, received: novalue");
    expect(() => parseTags(q("tags=%7Bbroken"))).toThrow(/malformed 'tags' parameter, cannot unmarshal JSON/);
    expect(() => parseTags(q(`tags=${encodeURIComponent('{"n":5}')}`))).toThrow(JaegerParamError);
  });
});

describe("GET /api/traces parameters -> the store's trace search", () => {
  it("maps every parameter onto ListTracesOptions + SearchQuery", () => {
    const params = q(`service=payment&operation=payment.charge&minDuration=1.2s&maxDuration=2s&start=1764763100000000&end=1764763200000000&limit=20&tags=${encodeURIComponent('{"error":"true","app.payment.amount_cents":"1299","rpc.method":"charge"}')}`);
    expect(parseTraceSearch(params, NOW_US)).toEqual({
      limit: 20,
      service: "payment",
      afterStartNs: "1764763100000000000",
      startToNs: "1764763200000000000",
      query: {
        service: "payment",
        operation: "payment.charge",
        minDurationNs: 1_200_000_000,
        maxDurationNs: 2_000_000_000,
        hasError: true,
        conditions: [
          { key: "app.payment.amount_cents", scope: "any", op: "=", value: "1299", number: 1299 },
          { key: "rpc.method", scope: "any", op: "=", value: "charge" },
        ],
      },
    });
  });
  it("defaults as jaeger-query: the last 2 days up to now, limit 100, capped at the store's 500", () => {
    const options = parseTraceSearch(q(""), NOW_US);
    expect(options).toMatchObject({ limit: DEFAULT_TRACE_LIMIT, startToNs: `${NOW_US}000`, afterStartNs: `${NOW_US - 172_800_000_000n}000` });
    expect(options.service).toBeUndefined();
    expect(parseTraceSearch(q("limit=5000"), NOW_US).limit).toBe(500);
    expect(parseTraceSearch(q("error=x&tags=error%3Dfalse"), NOW_US).query?.hasError).toBe(false);
  });
  it("refuses bad numbers, bad durations and max < min, naming the parameter", () => {
    expect(() => parseTraceSearch(q("start=yesterday"), NOW_US)).toThrow(`unable to parse param 'start': strconv.ParseInt: parsing "yesterday": invalid syntax`);
    expect(() => parseTraceSearch(q("limit=-1"), NOW_US)).toThrow("unable to parse param 'limit'");
    expect(() => parseTraceSearch(q("minDuration=fast"), NOW_US)).toThrow(`unable to parse param 'minDuration': time: invalid duration "fast"`);
    expect(() => parseTraceSearch(q("minDuration=2s&maxDuration=1s"), NOW_US)).toThrow("'maxDuration' should be greater than 'minDuration'");
  });
});

describe("spanKind and the dependency window", () => {
  it("maps Jaeger span kinds to stored kinds", () => {
    expect(parseSpanKind(q("spanKind=server"))).toBe("SERVER");
    expect(parseSpanKind(q(""))).toBeUndefined();
    expect(() => parseSpanKind(q("spanKind=sideways"))).toThrow("unsupported span kind: 'sideways'");
  });
  it("reads endTs and lookback in ms, lookback 24 h by default", () => {
    expect(parseDependencyWindow(q("endTs=1000000&lookback=60000"), 5)).toEqual({ fromMs: 940_000, toMs: 1_000_001 });
    expect(parseDependencyWindow(q(""), 86_400_000 * 2)).toEqual({ fromMs: 86_400_000, toMs: 86_400_000 * 2 + 1 });
  });
});

describe("dependency links from service-map aggregates", () => {
  const row = (from: string, to: string, calls: number, type: "sync" | "event" = "sync") =>
    ({ from, to, type, calls, errors: 0, durationSumUs: 0, durationMaxUs: 0, latencyHist: [] });
  it("sums edge types between the same nodes, strips node kinds, keeps queues as nodes", () => {
    const rows = [row("service:order", "service:payment", 3), row("service:order", "service:payment", 2), row("service:order", "queue:order-events", 4, "event"), row("queue:order-events", "service:shipping", 4, "event")];
    expect(toDependencyLinks(rows)).toEqual([
      { parent: "order", child: "order-events", callCount: 4 },
      { parent: "order", child: "payment", callCount: 5 },
      { parent: "order-events", child: "shipping", callCount: 4 },
    ]);
    expect(toDependencyLinks(rows, "shipping")).toEqual([{ parent: "order-events", child: "shipping", callCount: 4 }]);
  });
});

describe("contract: a stored trace as Jaeger JSON has jaeger-query's shape", () => {
  it("matches the fixture field for field and type for type", () => {
    const answer = toJaegerJson(orderFlow as unknown as StoredSpan[]);
    const problems = shapeDifferences(answer, traceFixture).filter((p) => !p.startsWith("missing field"));
    expect(problems).toEqual([]);
  });
});
