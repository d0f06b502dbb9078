import { describe, expect, it } from "vitest";
import { decodeProtobufRequest } from "./decode-proto.ts";
import { decodeJsonRequest } from "./decode-json.ts";
import { ExportTraceServiceRequest } from "./proto.ts";
import { CollectorError } from "./errors.ts";
import { StoredSpanSchema } from "../../store/types.ts";
import { encodeJsonRequest, encodeProtobufRequest, hexId, realJsonBody, realProtobufBody, type FixtureSpan } from "./testing/fixtures.ts";

const NOW_NS = BigInt(Date.now()) * 1_000_000n;
const START = NOW_NS - 5_000_000_000n;

function span(overrides: Partial<FixtureSpan> = {}): FixtureSpan {
  return { traceId: hexId(16), spanId: hexId(8), name: "op", startNs: START, endNs: START + 1_000n, ...overrides };
}

function decodeBoth(spans: FixtureSpan[]) {
  return [
    decodeProtobufRequest(encodeProtobufRequest("svc", spans), NOW_NS),
    decodeJsonRequest(Buffer.from(encodeJsonRequest("svc", spans)), NOW_NS),
  ];
}

describe("real OpenTelemetry JS exporter payloads", () => {
  it("decodes protobuf bytes from ProtobufTraceSerializer", () => {
    const { spans, rejected } = decodeProtobufRequest(realProtobufBody(), NOW_NS);
    expect(rejected).toBe(0);
    expect(spans).toHaveLength(2);
    for (const s of spans) StoredSpanSchema.parse(s);
    const server = spans.find((s) => s.kind === "SERVER")!;
    const client = spans.find((s) => s.kind === "CLIENT")!;
    expect(server).toMatchObject({ name: "order.placeOrder", parentSpanId: null, serviceName: "order", scopeName: "fixture-tracer" });
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.traceId).toBe(server.traceId);
    expect(client.status).toEqual({ code: "ERROR", message: "out of stock" });
    expect(client.attributes).toEqual({ "app.order.quantity": 3, "app.flags": ["a", "b"], "app.ratio": 0.5, "app.ok": false });
    expect(client.events).toEqual([{ name: "retry", timeUnixNano: expect.stringMatching(/^\d{19}$/), attributes: { attempt: 2 } }]);
    expect(client.resource).toEqual({ "service.name": "order", "service.version": "1.2.3" });
    expect(BigInt(client.durationNs)).toBe(BigInt(client.endTimeUnixNano) - BigInt(client.startTimeUnixNano));
  });

  it("decodes JSON bytes from JsonTraceSerializer to the same shape", () => {
    const { spans, rejected } = decodeJsonRequest(Buffer.from(realJsonBody()), NOW_NS);
    expect(rejected).toBe(0);
    expect(spans.map((s) => s.name).sort()).toEqual(["inventory.reserveStock", "order.placeOrder"]);
    const client = spans.find((s) => s.kind === "CLIENT")!;
    expect(client.attributes["app.flags"]).toEqual(["a", "b"]);
    expect(client.status.code).toBe("ERROR");
  });
});

describe("protobuf and JSON fixtures", () => {
  it("produce identical StoredSpans for the same input", () => {
    const spans = [span({ attributes: { "http.status_code": 200, ok: true, ratio: 0.25, s: "x" }, statusCode: 2 })];
    const [pb, js] = decodeBoth(spans);
    expect(pb!.spans).toHaveLength(1);
    expect(js!.spans).toEqual(pb!.spans);
  });

  it("keeps nanosecond precision beyond 2^53", () => {
    const [pb, js] = decodeBoth([span({ startNs: START + 123n, endNs: START + 987_654_321n })]);
    expect(pb!.spans[0]!.startTimeUnixNano).toBe((START + 123n).toString());
    expect(js!.spans[0]!.durationNs).toBe("987654198");
  });

  it("keeps int64 attributes beyond 2^53 as strings", () => {
    const big = {
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: hexId(16), spanId: hexId(8), name: "n",
        startTimeUnixNano: START.toString(), endTimeUnixNano: START.toString(),
        attributes: [{ key: "big", value: { intValue: "9007199254740993" } }, { key: "neg", value: { intValue: "-5" } }] }] }] }],
    };
    const js = decodeJsonRequest(Buffer.from(JSON.stringify(big)), NOW_NS);
    expect(js.spans[0]!.attributes).toEqual({ big: "9007199254740993", neg: -5 });
    expect(js.spans[0]!.serviceName).toBe("unknown_service");
    const pbMsg = ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{
      traceId: Buffer.from(hexId(16), "hex"), spanId: Buffer.from(hexId(8), "hex"), name: "n",
      startTimeUnixNano: START.toString(), endTimeUnixNano: START.toString(),
      attributes: [{ key: "big", value: { intValue: "9007199254740993" } }, { key: "neg", value: { intValue: "-5" } }] }] }] }] });
    const pb = decodeProtobufRequest(ExportTraceServiceRequest.encode(pbMsg).finish(), NOW_NS);
    expect(pb.spans[0]!.attributes).toEqual({ big: "9007199254740993", neg: -5 });
  });

  it("accepts snake_case keys and enum names in JSON", () => {
    const body = { resource_spans: [{ scope_spans: [{ spans: [{ trace_id: hexId(16).toUpperCase(), span_id: hexId(8), name: "n",
      kind: "SPAN_KIND_PRODUCER", start_time_unix_nano: Number(START), end_time_unix_nano: (START + 1_000_000n).toString(),
      status: { code: "STATUS_CODE_ERROR" } }] }] }] };
    const js = decodeJsonRequest(Buffer.from(JSON.stringify(body)), NOW_NS);
    expect(js.rejected).toBe(0);
    expect(js.spans[0]).toMatchObject({ kind: "PRODUCER", status: { code: "ERROR" } });
    expect(js.spans[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("validation rejects bad spans individually (partial success)", () => {
  const cases: [string, Partial<FixtureSpan>, RegExp][] = [
    ["all-zero trace id", { traceId: "0".repeat(32) }, /invalid traceId/],
    ["short span id", { spanId: "abcd" }, /invalid spanId/],
    ["all-zero span id", { spanId: "0".repeat(16) }, /invalid spanId/],
    ["bad parent id", { parentSpanId: "abcdef" }, /invalid parentSpanId/],
    ["end before start", { endNs: START - 1n }, /before startTimeUnixNano/],
    ["zero start time", { startNs: 0n, endNs: 10n }, /out of range/],
    ["start far in the future", { startNs: NOW_NS + 10n ** 15n, endNs: NOW_NS + 10n ** 15n }, /out of range/],
    ["missing name", { name: "" }, /missing name/],
  ];
  for (const [label, override, reason] of cases) {
    it(`${label} (protobuf and JSON)`, () => {
      for (const result of decodeBoth([span(), span(override), span()])) {
        expect(result.spans).toHaveLength(2);
        expect(result.rejected).toBe(1);
        expect(result.errors[0]).toMatch(reason);
      }
    });
  }

  it("rejects a JSON span whose fields have the wrong type, keeping the others", () => {
    const body = JSON.parse(encodeJsonRequest("svc", [span(), span()]));
    body.resourceSpans[0].scopeSpans[0].spans[1].name = 42;
    const result = decodeJsonRequest(Buffer.from(JSON.stringify(body)), NOW_NS);
    expect(result.spans).toHaveLength(1);
    expect(result.rejected).toBe(1);
    expect(result.errors[0]).toMatch(/malformed span: name/);
  });
});

describe("undecodable bodies throw BAD_REQUEST", () => {
  it("garbage protobuf bytes", () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
    expect(() => decodeProtobufRequest(garbage, NOW_NS)).toThrow(CollectorError);
    try {
      decodeProtobufRequest(garbage, NOW_NS);
    } catch (err) {
      expect((err as CollectorError).status).toBe(400);
    }
  });

  it("truncated protobuf message", () => {
    const bytes = encodeProtobufRequest("svc", [span()]);
    expect(() => decodeProtobufRequest(bytes.subarray(0, bytes.length - 7), NOW_NS)).toThrow(/undecodable protobuf/);
  });

  it("invalid JSON and wrongly shaped JSON", () => {
    expect(() => decodeJsonRequest(Buffer.from("{nope"), NOW_NS)).toThrow(/not valid JSON/);
    expect(() => decodeJsonRequest(Buffer.from('{"resourceSpans": 5}'), NOW_NS)).toThrow(/not an OTLP/);
  });

  it("an empty request is valid and stores nothing", () => {
    expect(decodeProtobufRequest(new Uint8Array(0), NOW_NS)).toEqual({ spans: [], rejected: 0, errors: [] });
    expect(decodeJsonRequest(Buffer.from("{}"), NOW_NS).spans).toEqual([]);
  });
});
