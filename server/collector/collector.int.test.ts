/** Collector against the real switchyard_test database, in-process on a random port. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { createCollector, type Collector } from "./app.ts";
import { CollectorEnvSchema } from "./env.ts";
import { ExportTraceServiceResponse, RpcStatus } from "./otlp/proto.ts";
import { encodeJsonRequest, encodeProtobufRequest, hexId, realProtobufBody, type FixtureSpan } from "./otlp/testing/fixtures.ts";
import { listServices, listTraces } from "../store/read.ts";
import { enforceRetention } from "../store/retention.ts";
import { StoredSpanSchema, type StoredSpan } from "../store/types.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

const DATABASE_URL = TEST_CONFIG.databaseUrl;
const NOW = BigInt(Date.now()) * 1_000_000n;
let collector: Collector;
let base: string;

beforeAll(async () => {
  const env = CollectorEnvSchema.parse({ PORT: "0", DATABASE_URL, BATCH_LINGER_MS: "2", BODY_LIMIT_BYTES: "65536", RETENTION_INTERVAL_MS: "3600000" });
  collector = createCollector(env, { info: () => {}, error: (m, e) => console.error(m, e) });
  await collector.pool.query("TRUNCATE telemetry.spans, telemetry.traces");
  base = `http://127.0.0.1:${await collector.listen()}`;
});
afterAll(async () => {
  await collector?.close();
});

function post(body: Uint8Array | string, contentType: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/v1/traces`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers: { "content-type": contentType, ...headers } });
}

async function getSpans(traceId: string): Promise<StoredSpan[]> {
  const res = await fetch(`${base}/api/traces/${traceId}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { traceId: string; spans: unknown[] };
  expect(body.traceId).toBe(traceId);
  return body.spans.map((s) => StoredSpanSchema.parse(s));
}

function trace(n: number, startNs = NOW - 10_000_000_000n): FixtureSpan[] {
  const traceId = hexId(16);
  const root: FixtureSpan = { traceId, spanId: hexId(8), name: "GET /orders", kind: 2, startNs, endNs: startNs + 5_000_000n };
  const children = Array.from({ length: n - 1 }, (_, i): FixtureSpan => ({
    traceId, spanId: hexId(8), parentSpanId: root.spanId, name: `child-${i}`, kind: 3,
    startNs: startNs + 1000n * BigInt(i + 1), endNs: startNs + 2_000_000n, statusCode: i === 0 ? 2 : 0,
  }));
  return [root, ...children];
}

describe("POST /v1/traces", () => {
  it("stores a real exporter payload and serves it from GET /api/traces/:id", async () => {
    const res = await post(realProtobufBody(), "application/x-protobuf");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    expect(ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer())))).toEqual({});
    const [summary] = await listTraces(collector.db, { limit: 1, search: "order.placeOrder" });
    expect(summary).toMatchObject({ rootName: "order.placeOrder", rootService: "order", spanCount: 2, errorCount: 1, services: ["order"] });
    const spans = await getSpans(summary!.traceId);
    expect(spans.map((s) => s.name)).toEqual(["order.placeOrder", "inventory.reserveStock"]);
    expect(spans[1]!.attributes).toMatchObject({ "app.flags": ["a", "b"], "app.order.quantity": 3 });
    // Resources are stored once (telemetry.resources) and joined back per span.
    expect(spans.every((s) => s.resource["service.name"] === s.serviceName)).toBe(true);
  });

  it("folds spans arriving in separate requests (children first, root later, JSON) into one summary", async () => {
    const spans = trace(4);
    const [root, ...children] = spans;
    expect((await post(encodeProtobufRequest("inventory", children), "application/x-protobuf")).status).toBe(200);
    let [row] = (await collector.pool.query("SELECT * FROM telemetry.traces WHERE trace_id = $1", [root!.traceId])).rows;
    expect(row).toMatchObject({ has_root: false, root_name: "child-0", span_count: 3, error_count: 1 });
    const res = await post(encodeJsonRequest("order", [root!, children[0]!]), "application/json"); // one duplicate
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    [row] = (await collector.pool.query("SELECT * FROM telemetry.traces WHERE trace_id = $1", [root!.traceId])).rows;
    expect(row).toMatchObject({ has_root: true, root_name: "GET /orders", root_service: "order", span_count: 4, error_count: 1, services: ["inventory", "order"] });
    expect(row.start_time_unix_nano).toBe(root!.startNs.toString());
    expect(row.end_time_unix_nano).toBe(root!.endNs.toString());
    expect((await getSpans(root!.traceId)).map((s) => s.serviceName).sort()).toEqual(["inventory", "inventory", "inventory", "order"]);
  });

  it("answers partial_success for rejected spans and stores the valid ones", async () => {
    const spans = trace(3);
    spans[2] = { ...spans[2]!, endNs: spans[2]!.startNs - 1n };
    const res = await post(encodeProtobufRequest("svc", spans), "application/x-protobuf");
    expect(res.status).toBe(200);
    const body = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer())), { longs: Number });
    expect(body.partialSuccess.rejectedSpans).toBe(1);
    expect(body.partialSuccess.errorMessage).toMatch(/endTimeUnixNano before startTimeUnixNano/);
    expect(await getSpans(spans[0]!.traceId)).toHaveLength(2);

    const jsonRes = await post(encodeJsonRequest("svc", [{ ...trace(1)[0]!, traceId: "0".repeat(32) }]), "application/json");
    expect(await jsonRes.json()).toEqual({ partialSuccess: { rejectedSpans: "1", errorMessage: expect.stringMatching(/invalid traceId/) } });
  });

  it("stores strings holding NUL characters (PostgreSQL rejects U+0000) instead of failing the batch", async () => {
    const [root, child] = trace(2);
    const nul = { ...child!, name: "evalsha\u0000", attributes: { "db.statement": "evalsha \u0000\u0001", "app.literal": "\\u0000" } };
    const res = await post(encodeProtobufRequest("redis", [root!, nul]), "application/x-protobuf");
    expect(res.status).toBe(200);
    const stored = (await getSpans(root!.traceId)).find((s) => s.spanId === child!.spanId);
    expect(stored?.name).toBe("evalsha\ufffd");
    expect(stored?.attributes).toMatchObject({ "db.statement": "evalsha \ufffd\u0001", "app.literal": "\\u0000" });
  });

  it("accepts gzip bodies", async () => {
    const spans = trace(2);
    const res = await post(gzipSync(encodeProtobufRequest("gz", spans)), "application/x-protobuf", { "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(await getSpans(spans[0]!.traceId)).toHaveLength(2);
  });

  it("rejects garbage (400 Status), other content types (415), oversize (413, also after gunzip), wrong method (405)", async () => {
    const bad = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), "application/x-protobuf");
    expect(bad.status).toBe(400);
    expect(RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await bad.arrayBuffer())))).toMatchObject({ code: 3, message: expect.stringMatching(/undecodable/) });
    expect((await post("{", "application/json")).status).toBe(400);
    expect((await post("x", "text/plain")).status).toBe(415);
    expect((await post(Buffer.alloc(70_000), "application/x-protobuf")).status).toBe(413);
    expect((await post(gzipSync(Buffer.alloc(200_000)), "application/x-protobuf", { "content-encoding": "gzip" })).status).toBe(413);
    expect((await post("x", "application/json", { "content-encoding": "br" })).status).toBe(415);
    expect((await fetch(`${base}/v1/traces`)).status).toBe(405);
  });
});

describe("read API and misc routes", () => {
  it("GET /api/traces/:id: 404 unknown, 400 malformed; /health; 404 elsewhere", async () => {
    const unknown = await fetch(`${base}/api/traces/${hexId(16)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toHaveProperty("error");
    expect((await fetch(`${base}/api/traces/not-a-trace`)).status).toBe(400);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it("refuses a foreign Host (DNS rebinding) before routing, ingest included", async () => {
    const { request } = await import("node:http");
    const status = (path: string, method: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${base}${path}`, { method, headers: { host, "content-type": "application/json" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(method === "POST" ? "{}" : undefined);
      });
    expect(await status("/health", "GET", "evil.example:4318")).toBe(421);
    expect(await status("/v1/traces", "POST", "evil.example")).toBe(421);
    expect(await status(`/api/traces/${hexId(16)}`, "GET", "evil.example")).toBe(421);
    expect(await status("/health", "GET", "localhost:4318")).toBe(200);
  });

  it("listTraces filters and pages; listServices lists every service", async () => {
    expect(await listServices(collector.db)).toEqual(expect.arrayContaining(["inventory", "order", "gz", "svc"]));
    const errors = await listTraces(collector.db, { limit: 50, hasError: true });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((t) => t.errorCount > 0)).toBe(true);
    const gz = await listTraces(collector.db, { limit: 50, service: "gz" });
    expect(gz).toHaveLength(1);
    const [first, second] = await listTraces(collector.db, { limit: 2 });
    const page = await listTraces(collector.db, { limit: 1, beforeStartNs: first!.startTimeUnixNano });
    expect(BigInt(page[0]!.startTimeUnixNano)).toBeLessThan(BigInt(first!.startTimeUnixNano));
    expect(second).toBeDefined();
  });
});

describe("retention", () => {
  it("deletes the oldest whole traces beyond the cap", async () => {
    await collector.pool.query("TRUNCATE telemetry.spans, telemetry.traces");
    const traces = [0, 1, 2, 3].map((i) => trace(3, NOW - BigInt(10 - i) * 1_000_000_000n));
    for (const t of traces) expect((await post(encodeProtobufRequest("ret", t), "application/x-protobuf")).status).toBe(200);
    const result = await enforceRetention(collector.pool, 7);
    expect(result).toEqual({ deletedTraces: 2, deletedSpans: 6 });
    const left = await collector.pool.query("SELECT trace_id FROM telemetry.traces ORDER BY start_time_unix_nano");
    expect(left.rows.map((r) => r.trace_id)).toEqual([traces[2]![0]!.traceId, traces[3]![0]!.traceId]);
    expect(await enforceRetention(collector.pool, 7)).toEqual({ deletedTraces: 0, deletedSpans: 0 });
  });
});
