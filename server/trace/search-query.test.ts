import { describe, expect, it } from "vitest";
import { Attr } from "../../services/contracts/semconv.ts";
import { parseDuration, parseSearchQuery, SearchQueryError } from "./search-query.ts";

const ORDER_ID = "3f1c2b9a-7d4e-4c1a-9b2f-0a1b2c3d4e5f";

function errorOf(text: string): SearchQueryError {
  try {
    parseSearchQuery(text);
  } catch (error) {
    if (error instanceof SearchQueryError) return error;
    throw error;
  }
  throw new Error(`"${text}" parsed without error`);
}

describe("parseSearchQuery: attribute conditions", () => {
  it("reads every operator", () => {
    const q = parseSearchQuery(`${Attr.ORDER_STYLE}=saga a!=b n>1 n>=2 n<3.5 n<=-4 ${Attr.ERROR_TYPE} exists`);
    expect(q.conditions).toEqual([
      { key: Attr.ORDER_STYLE, scope: "any", op: "=", value: "saga" },
      { key: "a", scope: "any", op: "!=", value: "b" },
      { key: "n", scope: "any", op: ">", number: 1 },
      { key: "n", scope: "any", op: ">=", number: 2 },
      { key: "n", scope: "any", op: "<", number: 3.5 },
      { key: "n", scope: "any", op: "<=", number: -4 },
      { key: Attr.ERROR_TYPE, scope: "any", op: "exists" },
    ]);
    expect(q.text).toBeUndefined();
  });

  it("keeps a number compared with = both as text and as a number", () => {
    expect(parseSearchQuery(`${Attr.HTTP_RESPONSE_STATUS_CODE}=500`).conditions).toEqual([
      { key: Attr.HTTP_RESPONSE_STATUS_CODE, scope: "any", op: "=", value: "500", number: 500 },
    ]);
  });

  it("takes quoted values with spaces and escapes, and values with colons unquoted", () => {
    const q = parseSearchQuery(`${Attr.ORDER_REASON}="out of \\"stock\\"" ${Attr.URL_FULL}=http://h:1/a?b=c`);
    expect(q.conditions.map((c) => c.value)).toEqual(['out of "stock"', "http://h:1/a?b=c"]);
  });

  it("allows spaces around the operator", () => {
    expect(parseSearchQuery("a = b  c >= 2").conditions).toEqual([
      { key: "a", scope: "any", op: "=", value: "b" },
      { key: "c", scope: "any", op: ">=", number: 2 },
    ]);
  });

  it("scopes a key to span or resource attributes with a prefix", () => {
    expect(parseSearchQuery(`span.${Attr.ORDER_ID} exists resource.${Attr.HOST_NAME}=box`).conditions).toEqual([
      { key: Attr.ORDER_ID, scope: "span", op: "exists" },
      { key: Attr.HOST_NAME, scope: "resource", op: "=", value: "box" },
    ]);
  });
});

describe("parseSearchQuery: filters and text", () => {
  it("reads service, operation, durations and status", () => {
    expect(parseSearchQuery('service:payment op:"process payments" minDuration:100ms maxDuration:1.5s status:error')).toEqual({
      service: "payment",
      operation: "process payments",
      minDurationNs: 100_000_000,
      maxDurationNs: 1_500_000_000,
      hasError: true,
      conditions: [],
    });
    expect(parseSearchQuery("operation:x status:ok")).toMatchObject({ operation: "x", hasError: false });
  });

  it("converts every duration unit", () => {
    expect(["7ns", "3us", "3µs", "2ms", "1s", "2m", "1h"].map(parseDuration)).toEqual([7, 3e3, 3e3, 2e6, 1e9, 120e9, 3600e9]);
    expect(parseDuration("100")).toBeNull();
  });

  it("keeps free text for the root name and trace id, and recognises an id", () => {
    expect(parseSearchQuery("POST /api/orders")).toEqual({ conditions: [], text: "POST /api/orders" });
    expect(parseSearchQuery(`  ${ORDER_ID.toUpperCase()} `)).toEqual({ conditions: [], text: ORDER_ID.toUpperCase(), id: ORDER_ID });
    expect(parseSearchQuery("4bf92f35")).toEqual({ conditions: [], text: "4bf92f35" });
    expect(parseSearchQuery("")).toEqual({ conditions: [] });
  });

  it("mixes conditions, filters and text in any order", () => {
    const q = parseSearchQuery(`placeOrder service:order ${Attr.ORDER_STYLE}=hybrid`);
    expect(q).toEqual({ service: "order", text: "placeOrder", conditions: [{ key: Attr.ORDER_STYLE, scope: "any", op: "=", value: "hybrid" }] });
  });
});

describe("parseSearchQuery: bad input gets a readable error", () => {
  it.each([
    ["n>abc", /">" compares numbers: "abc" at column 3 is not a number/],
    ["n<=", /"n<=" needs a value at column 4/],
    ["a=b c=", /"c=" needs a value/],
    ['a="unclosed', /Unclosed quote: the " at column 3 has no closing "/],
    ["=b", /"=" at column 1 needs an attribute name before it/],
    ["a!b", /"!" at column 2 must be followed by "="/],
    ["colour:red", /Unknown filter "colour:" at column 1; filters are service:, op:/],
    ["minDuration:100", /"100" at column 13 is not a duration; write e.g. 250ms/],
    ["maxDuration:fast", /is not a duration/],
    ["status:broken", /status: is "error" or "ok", not "broken"/],
    ["minDuration:2s maxDuration:1s", /minDuration is longer than maxDuration/],
    ["service:", /Filter "service:" needs a value/],
    ["a,b=c", /"a,b" at column 1 is not an attribute name/],
  ])("%s", (text, message) => {
    const error = errorOf(text);
    expect(error.message).toMatch(message);
    expect(error.column).toBeGreaterThanOrEqual(1);
  });
});
