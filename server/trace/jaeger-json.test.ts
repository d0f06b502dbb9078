import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { looksLikeJaegerJson, parseJaegerFile } from "./jaeger-json-schema.ts";
import { fromJaegerJson, toJaegerJson, toJaegerTrace } from "./jaeger-json.ts";
import hotrod from "./fixtures/jaeger-hotrod.json" with { type: "json" };
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

const storedFlow = orderFlow as unknown as StoredSpan[];
const NOW_NS = 1_800_000_000_000_000_000n;
const HOTROD_TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";

function importJaeger(json: unknown): ReturnType<typeof fromJaegerJson> {
  const parsed = parseJaegerFile(json);
  if (!parsed.success) throw parsed.error;
  return fromJaegerJson(parsed.data, NOW_NS);
}

function byName(spans: StoredSpan[], name: string, index = 0): StoredSpan {
  const found = spans.filter((s) => s.name === name)[index];
  if (!found) throw new Error(`no span ${name}`);
  return found;
}

/** A stored span with every field a Jaeger file can carry, times on whole microseconds. */
function richSpan(): StoredSpan {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    parentSpanId: "00f067aa0ba902b7",
    name: "payment.charge",
    kind: "CLIENT",
    serviceName: "payment",
    startTimeUnixNano: "1764763200000001000",
    endTimeUnixNano: "1764763200020003000",
    durationNs: "20002000",
    status: { code: "ERROR", message: "card declined" },
    attributes: { "rpc.method": "charge", "app.payment.amount_cents": 1299, ratio: 0.25, retried: false, huge: "9223372036854775807" },
    events: [
      { name: "exception", timeUnixNano: "1764763200010000000", attributes: { "exception.type": "DeclinedError", "exception.message": "card declined" } },
      { name: "", timeUnixNano: "1764763200011000000", attributes: { note: "no name" } },
    ],
    links: [
      { traceId: "1af7651916cd43dd8448eb211c80319c", spanId: "c7ad6b7169203331", attributes: {} },
      { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "d7ad6b7169203331", attributes: { "opentracing.ref_type": "child_of" } },
    ],
    resource: { "service.name": "payment", "host.name": "box-1", "process.pid": 4242 },
    scopeName: "@switchyard/kit",
  };
}

describe("Jaeger JSON import (Jaeger's own export format)", () => {
  const result = importJaeger(hotrod);

  it("takes every span of the fixture, none rejected", () => {
    expect(result.rejected).toBe(0);
    expect(result.spans).toHaveLength(11);
    expect(new Set(result.spans.map((s) => s.traceId))).toEqual(new Set([HOTROD_TRACE]));
  });

  it("maps span.kind, the first CHILD_OF to the parent, microseconds to nanoseconds", () => {
    const root = byName(result.spans, "HTTP GET /dispatch");
    expect(root).toMatchObject({ parentSpanId: null, kind: "SERVER", serviceName: "frontend", startTimeUnixNano: "1764763200123456000", durationNs: "712345000" });
    expect(root.attributes).not.toHaveProperty("span.kind");
    const sql = byName(result.spans, "SQL SELECT");
    expect(sql).toMatchObject({ parentSpanId: "5c3f7d9e1a2b4c6d", kind: "CLIENT", serviceName: "mysql" });
  });

  it("reads the status from error=true (with otel.status_description) and from otel.status_code", () => {
    const failed = byName(result.spans, "GetDriver", 0);
    expect(failed.status).toEqual({ code: "ERROR", message: "redis timeout" });
    expect(failed.attributes).not.toHaveProperty("error");
    expect(failed.attributes).not.toHaveProperty("otel.status_description");
    expect(byName(result.spans, "HTTP GET /customer").status).toEqual({ code: "OK", message: null });
    expect(byName(result.spans, "HTTP GET /customer").attributes).not.toHaveProperty("otel.status_code");
    expect(byName(result.spans, "SQL SELECT").status.code).toBe("UNSET");
  });

  it("turns logs into events named by their event field, and typed tags into attributes", () => {
    const failed = byName(result.spans, "GetDriver", 0);
    expect(failed.events).toEqual([
      { name: "error", timeUnixNano: "1764763200530956000", attributes: { level: "error", error: "redis timeout", driver_id: "T757183C" } },
      { name: "", timeUnixNano: "1764763200530966000", attributes: { message: "Retrying GetDriver after error", retry_no: 1 } },
    ]);
    const retry = byName(result.spans, "GetDriver", 1);
    expect(retry.attributes).toMatchObject({ "redis.latency_ms": 12.345, "redis.big_counter": "9223372036854775222", "redis.key_hash": "AAAwOQ==" });
    expect(byName(result.spans, "HTTP GET: /customer").attributes["net/http.reused"]).toBe(false);
    expect(byName(result.spans, "HTTP GET /dispatch").attributes["http.status_code"]).toBe(200);
  });

  it("makes the process the resource, with service.name, and otel.scope.name the scope", () => {
    const client = byName(result.spans, "HTTP GET: /customer");
    expect(client.resource).toEqual({ "service.name": "frontend", "client-uuid": "3ec5a1d1e2f60b7a", hostname: "hotrod-7b9c", ip: "10.0.3.17", "jaeger.version": "Go-2.30.0" });
    expect(client.scopeName).toBe("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp");
    expect(client.attributes).not.toHaveProperty("otel.scope.name");
  });

  it("keeps a FOLLOWS_FROM reference as a link, not a parent", () => {
    const notify = byName(result.spans, "send dispatch-notification");
    expect(notify.parentSpanId).toBeNull();
    expect(notify.links).toEqual([{ traceId: HOTROD_TRACE, spanId: "3a1d5b7c9e0f2a4b", attributes: {} }]);
    expect(notify.kind).toBe("PRODUCER");
  });

  it("pads 64-bit ids, reads embedded processes and bare traces, tolerates nulls", () => {
    const bare = {
      traceID: "1",
      spans: [
        { traceID: "1", spanID: "2", operationName: "op", references: null, startTime: 1764763200000000, duration: 5, tags: null, logs: null, process: { serviceName: "svc", tags: null }, warnings: null },
      ],
      processes: null,
    };
    expect(looksLikeJaegerJson(bare)).toBe(true);
    const decoded = importJaeger(bare);
    expect(decoded.rejected).toBe(0);
    expect(decoded.spans[0]).toMatchObject({ traceId: `${"0".repeat(31)}1`, spanId: `${"0".repeat(15)}2`, serviceName: "svc", durationNs: "5000" });
  });

  it("rejects a span whose processID names no process, and Jaeger JSON with a wrong shape", () => {
    const trace = { traceID: "1", spans: [{ ...hotrod.data[0]!.spans[0]!, processID: "p9" }], processes: {} };
    const decoded = importJaeger({ data: [trace] });
    expect(decoded.rejected).toBe(1);
    expect(decoded.errors[0]).toContain('unknown processID "p9"');
    const wrong = parseJaegerFile({ data: [{ spans: [{ spanID: "zz" }] }] });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((i) => i.path.join("."))).toContain("data.0.spans.0.spanID");
    expect(looksLikeJaegerJson({ resourceSpans: [] })).toBe(false);
  });
});

describe("Jaeger JSON export of stored spans", () => {
  it("answers like the query API: data, microseconds, references, typed tags, logs", () => {
    const response = toJaegerJson([richSpan()]);
    expect(response).toMatchObject({ total: 0, limit: 0, offset: 0, errors: null });
    const span = response.data[0]!.spans[0]!;
    expect(span).toMatchObject({ startTime: 1764763200000001, duration: 20002, processID: "p1" });
    expect(span.references).toEqual([
      { refType: "CHILD_OF", traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "00f067aa0ba902b7" },
      { refType: "FOLLOWS_FROM", traceID: "1af7651916cd43dd8448eb211c80319c", spanID: "c7ad6b7169203331" },
      { refType: "CHILD_OF", traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "d7ad6b7169203331" },
    ]);
    expect(span.tags).toEqual([
      { key: "otel.scope.name", type: "string", value: "@switchyard/kit" },
      { key: "rpc.method", type: "string", value: "charge" },
      { key: "app.payment.amount_cents", type: "int64", value: 1299 },
      { key: "ratio", type: "float64", value: 0.25 },
      { key: "retried", type: "bool", value: false },
      { key: "huge", type: "string", value: "9223372036854775807" },
      { key: "span.kind", type: "string", value: "client" },
      { key: "error", type: "bool", value: true },
      { key: "otel.status_description", type: "string", value: "card declined" },
    ]);
    expect(span.logs[0]).toEqual({
      timestamp: 1764763200010000,
      fields: [
        { key: "event", type: "string", value: "exception" },
        { key: "exception.type", type: "string", value: "DeclinedError" },
        { key: "exception.message", type: "string", value: "card declined" },
      ],
    });
    expect(response.data[0]!.processes).toEqual({
      p1: { serviceName: "payment", tags: [{ key: "host.name", type: "string", value: "box-1" }, { key: "process.pid", type: "int64", value: 4242 }] },
    });
  });

  it("deduplicates processes: one per service and resource, p1, p2, ... in order of first use", () => {
    const trace = toJaegerTrace(storedFlow);
    expect(Object.values(trace.processes).map((p) => p.serviceName)).toEqual(["notification", "inventory", "order"]);
    expect(trace.spans.map((s) => s.processID)).toEqual(["p1", "p2", "p3", "p3", "p3"]);
    expect(trace.traceID).toBe(storedFlow[0]!.traceId);
  });

  it("groups several traces into one entry of data each", () => {
    const other = { ...richSpan(), traceId: "2af7651916cd43dd8448eb211c80319c" };
    expect(toJaegerJson([...storedFlow, other]).data.map((t) => t.spans.length)).toEqual([5, 1]);
  });

  it("truncates nanoseconds to Jaeger's microseconds", () => {
    const span = { ...richSpan(), startTimeUnixNano: "1764763200000001999", endTimeUnixNano: "1764763200000003500", durationNs: "1501" };
    expect(toJaegerTrace([span]).spans[0]).toMatchObject({ startTime: 1764763200000001, duration: 1 });
  });
});

describe("round trips", () => {
  it("stored -> Jaeger -> stored gives the same spans", () => {
    const stored = [...storedFlow, richSpan()];
    const back = importJaeger(JSON.parse(JSON.stringify(toJaegerJson(stored))));
    expect(back.rejected).toBe(0);
    const byId = new Map(back.spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
    expect(back.spans).toHaveLength(stored.length);
    for (const original of stored) expect(byId.get(`${original.traceId}/${original.spanId}`)).toEqual(original);
  });

  it("Jaeger -> stored -> Jaeger keeps spans, references, times, processes and tags", () => {
    const original = parseJaegerFile(hotrod).data![0]!;
    // The store keeps an int64 past 2^53 and binary (base64) as strings, as OTLP JSON ingest does:
    // those two come back typed "string"; every other tag keeps its type.
    const asStored = (tag: { key: string; type?: string }) => (/^redis\.(big_counter|key_hash)$/.test(tag.key) ? { ...tag, type: "string" } : tag);
    const again = toJaegerTrace(importJaeger(hotrod).spans);
    const sortTags = (tags: { key: string }[]) => [...tags].sort((a, b) => a.key.localeCompare(b.key));
    const processOf = (trace: typeof original | typeof again, id: string | undefined) => trace.processes[id ?? ""];
    expect(again.spans).toHaveLength(original.spans.length);
    for (const [i, span] of original.spans.entries()) {
      const copy = again.spans[i]!;
      expect(copy).toMatchObject({ spanID: span.spanID, operationName: span.operationName, startTime: span.startTime, duration: span.duration, references: span.references });
      expect(sortTags(copy.tags)).toEqual(sortTags(span.tags.map(asStored)));
      expect(processOf(again, copy.processID)).toEqual(processOf(original, span.processID));
      expect(copy.logs.length).toBe(span.logs.length);
    }
  });
});
