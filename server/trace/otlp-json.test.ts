import { describe, expect, it } from "vitest";
import { decodeJsonRequest } from "../collector/otlp/decode-json.ts";
import type { StoredSpan } from "../store/types.ts";
import { toOtlpJson } from "./otlp-json.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

const spans = orderFlow as unknown as StoredSpan[];

describe("OTLP JSON export", () => {
  it("round-trips through the collector's own OTLP JSON decoder unchanged", () => {
    const body = Buffer.from(JSON.stringify(toOtlpJson(spans)));
    const nowNs = spans.reduce((max, s) => (BigInt(s.endTimeUnixNano) > max ? BigInt(s.endTimeUnixNano) : max), 0n);
    const decoded = decodeJsonRequest(body, nowNs);
    expect(decoded.rejected).toBe(0);
    const byId = new Map(decoded.spans.map((s) => [s.spanId, s]));
    expect(decoded.spans).toHaveLength(spans.length);
    for (const original of spans) expect(byId.get(original.spanId)).toEqual(original);
  });

  it("groups spans by resource and scope, with OTLP's integer enums and string int64s", () => {
    const json = toOtlpJson(spans);
    const services = json.resourceSpans.map((r) => r.resource.attributes.find((a) => a.key === "service.name")?.value);
    expect(new Set(services.map((v) => JSON.stringify(v))).size).toBe(services.length);
    const first = json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(typeof first.startTimeUnixNano).toBe("string");
    expect(first.kind).toBeGreaterThanOrEqual(1);
    expect(toOtlpJson([]).resourceSpans).toEqual([]);
  });

  it("keeps every attribute type: string, int, double, bool, arrays and nested maps", () => {
    const span = { ...spans[0]!, attributes: { s: "x", i: 42, d: 1.5, b: true, a: [1, "two"], m: { inner: 3 } } };
    const json = toOtlpJson([span]);
    expect(json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes).toEqual([
      { key: "s", value: { stringValue: "x" } },
      { key: "i", value: { intValue: "42" } },
      { key: "d", value: { doubleValue: 1.5 } },
      { key: "b", value: { boolValue: true } },
      { key: "a", value: { arrayValue: { values: [{ intValue: "1" }, { stringValue: "two" }] } } },
      { key: "m", value: { kvlistValue: { values: [{ key: "inner", value: { intValue: "3" } }] } } },
    ]);
  });
});
