/**
 * The Jaeger query API against the real test database: spans go in through the collector's own
 * OTLP/HTTP route (the write path), every endpoint is read back on the Jaeger listener and its
 * answer checked against fixtures shaped like jaeger-query's (./fixtures), and a trace read as
 * Jaeger JSON converts back to the span tree the dashboard draws.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector, type Collector } from "../app.ts";
import { CollectorEnvSchema, jaegerQueryPortOf } from "../env.ts";
import { hexId } from "../otlp/testing/fixtures.ts";
import { getTrace } from "../../store/read.ts";
import { parseJaegerFile } from "../../trace/jaeger-json-schema.ts";
import { fromJaegerJson, type JaegerResponse } from "../../trace/jaeger-json.ts";
import { buildSpanTree } from "../../trace/span-tree.ts";
import { TEST_CONFIG } from "../../../scripts/launcher/test-config.ts";
import { shapeDifferences } from "./testing/shape.ts";
import servicesFixture from "./fixtures/services.json" with { type: "json" };
import serviceOperationsFixture from "./fixtures/service-operations.json" with { type: "json" };
import operationsFixture from "./fixtures/operations.json" with { type: "json" };
import traceFixture from "./fixtures/trace.json" with { type: "json" };
import dependenciesFixture from "./fixtures/dependencies.json" with { type: "json" };
import error400Fixture from "./fixtures/error-400.json" with { type: "json" };
import error404Fixture from "./fixtures/error-404.json" with { type: "json" };

let collector: Collector;
let collectorBase: string;
let jaeger: string;

// Whole microseconds, a minute ago: Jaeger's model holds µs, so the round trip is exact.
const T0 = (BigInt(Date.now()) - 60_000n) * 1_000_000n;
const us = (n: number) => T0 + BigInt(n) * 1000n;
const DISPATCH = hexId(16);
const HEALTH = hexId(16);
const OTHER_TRACE = hexId(16);
const ids = { root: hexId(8), client: hexId(8), server: hexId(8), producer: hexId(8), consumer: hexId(8), health: hexId(8), linked: hexId(8) };

type OtlpSpan = Record<string, unknown>;
const attr = (key: string, v: string | number | boolean) => ({
  key,
  value: typeof v === "string" ? { stringValue: v } : typeof v === "boolean" ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
});
function span(traceId: string, spanId: string, parent: string, name: string, kind: number, startUs: number, endUs: number, extra: OtlpSpan = {}): OtlpSpan {
  return { traceId, spanId, parentSpanId: parent, name, kind, startTimeUnixNano: us(startUs).toString(), endTimeUnixNano: us(endUs).toString(), ...extra };
}
function resourceSpans(service: string, resourceAttrs: ReturnType<typeof attr>[], spans: OtlpSpan[]) {
  return { resource: { attributes: [attr("service.name", service), ...resourceAttrs] }, scopeSpans: [{ scope: { name: "fixture-scope" }, spans }] };
}

/** Two traces over three services: a dispatch (sync call, error, message with a link) and a health check. */
const EXPORT = {
  resourceSpans: [
    resourceSpans("frontend", [attr("host.name", "box-1"), attr("process.pid", 4242)], [
      span(DISPATCH, ids.root, "", "HTTP GET /dispatch", 2, 0, 1_500_000, {
        attributes: [attr("http.request.method", "GET"), attr("http.response.status_code", 200)],
        status: { code: 1 },
        events: [{ name: "request received", timeUnixNano: us(10).toString(), attributes: [attr("level", "info")] }],
      }),
      span(DISPATCH, ids.client, ids.root, "customer.get", 3, 1_000, 900_000, { attributes: [attr("rpc.method", "get"), attr("ratio", 0.25)] }),
      span(HEALTH, ids.health, "", "HTTP GET /health", 2, 2_000_000, 2_005_000, { attributes: [attr("http.response.status_code", 204)] }),
    ]),
    resourceSpans("customer", [attr("host.name", "box-1")], [
      span(DISPATCH, ids.server, ids.client, "customer.get", 2, 2_000, 850_000, {
        attributes: [attr("cache.hit", false)],
        status: { code: 2, message: "deadlock" },
        events: [{ name: "exception", timeUnixNano: us(800_000).toString(), attributes: [attr("exception.type", "DeadlockError")] }],
      }),
      span(DISPATCH, ids.producer, ids.server, "send customer-events", 4, 840_000, 845_000, { attributes: [attr("messaging.destination.name", "customer-events")] }),
    ]),
    resourceSpans("driver", [], [
      span(DISPATCH, ids.consumer, ids.producer, "process customer-events", 5, 900_000, 1_400_000, {
        links: [{ traceId: OTHER_TRACE, spanId: ids.linked }],
      }),
    ]),
  ],
};

beforeAll(async () => {
  const env = CollectorEnvSchema.parse({ PORT: "0", DATABASE_URL: TEST_CONFIG.databaseUrl, BATCH_LINGER_MS: "2", RETENTION_INTERVAL_MS: "3600000", SERVICE_MAP_HOLD_MS: "0" });
  expect(jaegerQueryPortOf(env)).toBe(0); // in-process: a random port, never a slot's fixed one
  collector = createCollector(env, { info: () => {}, error: (m, e) => console.error(m, e) });
  await collector.pool.query("TRUNCATE telemetry.spans, telemetry.traces, telemetry.edge_minutes");
  collectorBase = `http://127.0.0.1:${await collector.listen()}`;
  jaeger = `http://127.0.0.1:${collector.jaegerQueryPort()}`;
  const res = await fetch(`${collectorBase}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(EXPORT) });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({});
  await collector.aggregator.flush();
});
afterAll(async () => {
  await collector?.close();
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> & { data: unknown; errors: unknown } }> {
  const res = await fetch(`${jaeger}${path}`);
  expect(res.headers.get("content-type")).toBe("application/json");
  return { status: res.status, body: (await res.json()) as never };
}
const traceIdsOf = (body: { data: unknown }) => (body.data as { traceID: string }[]).map((t) => t.traceID).sort();
const tags = (json: object) => encodeURIComponent(JSON.stringify(json));

describe("services and operations", () => {
  it("GET /api/services lists every service, in jaeger-query's envelope", async () => {
    const { status, body } = await get("/api/services");
    expect(status).toBe(200);
    expect(body).toEqual({ data: ["customer", "driver", "frontend"], total: 3, limit: 0, offset: 0, errors: null });
    expect(shapeDifferences(body, servicesFixture)).toEqual([]);
  });

  it("GET /api/services/{service}/operations lists span names", async () => {
    const { body } = await get("/api/services/frontend/operations");
    expect(body).toMatchObject({ data: ["HTTP GET /dispatch", "HTTP GET /health", "customer.get"], total: 3 });
    expect(shapeDifferences(body, serviceOperationsFixture)).toEqual([]);
  });

  it("GET /api/operations?service=&spanKind= lists names with their kind; service is required", async () => {
    const all = await get("/api/operations?service=customer");
    expect(all.body.data).toEqual([{ name: "customer.get", spanKind: "server" }, { name: "send customer-events", spanKind: "producer" }]);
    expect(shapeDifferences(all.body, operationsFixture)).toEqual([]);
    expect((await get("/api/operations?service=customer&spanKind=producer")).body.data).toEqual([{ name: "send customer-events", spanKind: "producer" }]);
    const missing = await get("/api/operations");
    expect(missing).toEqual({ status: 400, body: { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 400, msg: "parameter 'service' is required" }] } });
  });
});

describe("GET /api/traces (search through the store's trace search)", () => {
  it("finds by service, operation, tags (JSON and logfmt), durations and time range", async () => {
    expect(traceIdsOf((await get("/api/traces?service=frontend&limit=20")).body)).toEqual([DISPATCH, HEALTH].sort());
    expect(traceIdsOf((await get("/api/traces?service=customer&operation=customer.get")).body)).toEqual([DISPATCH]);
    expect(traceIdsOf((await get(`/api/traces?service=frontend&tags=${tags({ error: "true" })}`)).body)).toEqual([DISPATCH]);
    expect(traceIdsOf((await get(`/api/traces?service=frontend&tags=${tags({ "http.response.status_code": "204" })}`)).body)).toEqual([HEALTH]);
    expect(traceIdsOf((await get(`/api/traces?tags=${encodeURIComponent("cache.hit=false rpc.method=get")}`)).body)).toEqual([DISPATCH]);
    expect(traceIdsOf((await get("/api/traces?service=frontend&minDuration=1s")).body)).toEqual([DISPATCH]);
    expect(traceIdsOf((await get("/api/traces?service=frontend&maxDuration=100ms")).body)).toEqual([HEALTH]);
    const startUs = T0 / 1000n;
    expect(traceIdsOf((await get(`/api/traces?service=frontend&start=${startUs + 1000n}&end=${startUs + 3_000_000n}`)).body)).toEqual([HEALTH]);
    expect(traceIdsOf((await get(`/api/traces?service=frontend&end=${startUs - 1n}`)).body)).toEqual([]);
    expect(traceIdsOf((await get("/api/traces?service=frontend&limit=1")).body)).toEqual([HEALTH]);
  });

  it("answers whole traces shaped like jaeger-query's, and traceID= lookups with a 404 entry per unknown id", async () => {
    const { body } = await get(`/api/traces?service=driver`);
    expect(shapeDifferences(body, traceFixture)).toEqual([]);
    const byId = await get(`/api/traces?traceID=${HEALTH}&traceID=${"ab".repeat(16)}`);
    expect(traceIdsOf(byId.body)).toEqual([HEALTH]);
    expect(byId.body.errors).toEqual([{ code: 404, msg: "trace not found", traceID: "ab".repeat(16) }]);
  });

  it("refuses bad parameters as Jaeger does", async () => {
    const bad = await get("/api/traces?start=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(error400Fixture);
    expect(shapeDifferences(bad.body, error400Fixture)).toEqual([]);
    expect((await get("/api/traces?minDuration=2s&maxDuration=1s")).status).toBe(400);
    expect((await get("/api/traces?tags=%7Bnot-json")).status).toBe(400);
  });
});

describe("GET /api/traces/{id}", () => {
  it("answers Jaeger's JSON model: µs times, references, processes, tags, logs", async () => {
    const { status, body } = await get(`/api/traces/${DISPATCH}`);
    expect(status).toBe(200);
    expect(shapeDifferences(body, traceFixture)).toEqual([]);
    const [trace] = (body as unknown as JaegerResponse).data;
    expect(trace!.spans).toHaveLength(5);
    const byId = new Map(trace!.spans.map((s) => [s.spanID, s]));
    const root = byId.get(ids.root)!;
    expect(root).toMatchObject({ traceID: DISPATCH, operationName: "HTTP GET /dispatch", references: [], startTime: Number(T0 / 1000n), duration: 1_500_000 });
    expect(root.tags).toEqual(expect.arrayContaining([
      { key: "http.response.status_code", type: "int64", value: 200 },
      { key: "span.kind", type: "string", value: "server" },
      { key: "otel.status_code", type: "string", value: "OK" },
    ]));
    expect(root.logs).toEqual([{ timestamp: Number(T0 / 1000n) + 10, fields: [{ key: "event", type: "string", value: "request received" }, { key: "level", type: "string", value: "info" }] }]);
    const server = byId.get(ids.server)!;
    expect(server.references).toEqual([{ refType: "CHILD_OF", traceID: DISPATCH, spanID: ids.client }]);
    expect(server.tags).toEqual(expect.arrayContaining([{ key: "error", type: "bool", value: true }, { key: "otel.status_description", type: "string", value: "deadlock" }]));
    expect(byId.get(ids.consumer)!.references).toEqual([
      { refType: "CHILD_OF", traceID: DISPATCH, spanID: ids.producer },
      { refType: "FOLLOWS_FROM", traceID: OTHER_TRACE, spanID: ids.linked },
    ]);
    const services = Object.entries(trace!.processes).map(([id, p]) => [id, p.serviceName]);
    expect(services.map(([id]) => id).sort()).toEqual(["p1", "p2", "p3"]);
    expect(services.map(([, name]) => name).sort()).toEqual(["customer", "driver", "frontend"]);
    expect(trace!.processes[root.processID]!.tags).toEqual([{ key: "host.name", type: "string", value: "box-1" }, { key: "process.pid", type: "int64", value: 4242 }]);
  });

  it("converts back to the same span tree the dashboard draws", async () => {
    const { body } = await get(`/api/traces/${DISPATCH}`);
    const parsed = parseJaegerFile(body);
    if (!parsed.success) throw parsed.error;
    const back = fromJaegerJson(parsed.data, BigInt(Date.now()) * 1_000_000n);
    expect(back.rejected).toBe(0);
    const stored = (await getTrace(collector.db, DISPATCH))!;
    const rows = (tree: ReturnType<typeof buildSpanTree>) =>
      tree.rows.map((r) => ({ key: r.key, depth: r.depth, parentIndex: r.parentIndex, offsetNs: r.offsetNs, durationNs: r.durationNs, name: r.span.name, service: r.span.serviceName, kind: r.span.kind, status: r.span.status }));
    expect(rows(buildSpanTree(back.spans))).toEqual(rows(buildSpanTree(stored)));
    expect(rows(buildSpanTree(stored)).map((r) => r.depth)).toEqual([0, 1, 2, 3, 4]);
  });

  it("404 unknown, 400 malformed; a 64-bit id is read as Jaeger writes it", async () => {
    const unknown = await get(`/api/traces/${hexId(16)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(error404Fixture);
    expect((await get("/api/traces/not-hex")).status).toBe(400);
    expect((await get(`/api/traces/${"f".repeat(33)}`)).status).toBe(400);
    expect((await get(`/api/traces/${DISPATCH.toUpperCase()}`)).status).toBe(200);
  });

  it("leaves the collector's own GET /api/traces/:id (Switchyard's format) as it was", async () => {
    const res = await fetch(`${collectorBase}/api/traces/${DISPATCH}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { traceId: string; spans: unknown[] };
    expect(body.traceId).toBe(DISPATCH);
    expect(body.spans).toHaveLength(5);
  });
});

describe("GET /api/dependencies (service-map aggregates)", () => {
  it("links services, queues as nodes of their own", async () => {
    const { status, body } = await get(`/api/dependencies?endTs=${Date.now()}&lookback=3600000`);
    expect(status).toBe(200);
    expect(body.data).toEqual([
      { parent: "customer", child: "customer-events", callCount: 1 },
      { parent: "customer-events", child: "driver", callCount: 1 },
      { parent: "frontend", child: "customer", callCount: 1 },
    ]);
    expect(shapeDifferences(body, dependenciesFixture)).toEqual([]);
    expect((await get(`/api/dependencies?endTs=${Date.now() - 7_200_000}&lookback=60000`)).body.data).toEqual([]);
  });
});

describe("edges", () => {
  const status = (path: string, method: string, host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${jaeger}${path}`, { method, headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });

  it("is read-only, answers only allowed Host names, 404s elsewhere in Jaeger's error shape", async () => {
    expect(await status("/api/services", "GET", "evil.example:16686")).toBe(421);
    expect(await status("/api/services", "GET", "localhost:16686")).toBe(200);
    expect(await status("/api/services", "POST", "127.0.0.1")).toBe(405);
    expect(await status("/api/archive/abc", "DELETE", "127.0.0.1")).toBe(405);
    const nowhere = await get("/api/nowhere");
    expect(nowhere.status).toBe(404);
    expect(shapeDifferences(nowhere.body, error404Fixture)).toEqual([]);
  });
});

describe("its port", () => {
  it("taken (a real Jaeger on it, say) is logged and skipped: ingest still starts; `off` binds nothing", async () => {
    const errors: string[] = [];
    const env = (port: string) => CollectorEnvSchema.parse({ PORT: "0", DATABASE_URL: TEST_CONFIG.databaseUrl, RETENTION_INTERVAL_MS: "3600000", SWITCHYARD_JAEGER_QUERY_PORT: port });
    const second = createCollector(env(String(collector.jaegerQueryPort())), { info: () => {}, error: (m) => errors.push(m) });
    const off = createCollector(env("off"), { info: () => {}, error: (m) => errors.push(m) });
    try {
      const port = await second.listen();
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect(second.jaegerQueryPort()).toBeNull();
      expect(errors).toEqual([expect.stringContaining("Jaeger query API not started")]);
      await off.listen();
      expect(off.jaegerQueryPort()).toBeNull();
      expect(errors).toHaveLength(1);
    } finally {
      await Promise.all([second.close(), off.close()]);
    }
  });
});
