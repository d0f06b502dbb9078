/**
 * OTLP/gRPC ingest (issue 14) against the real test database, in-process on random ports: the
 * official gRPC exporter's spans are stored exactly as the same spans sent over OTLP/HTTP; bad
 * input, oversize, backpressure and a dead store get their OTLP/gRPC status codes; the collector
 * stays up; shutdown closes the gRPC port.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { OTLPTraceExporter as GrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { createCollector, type Collector } from "./app.ts";
import { CollectorEnvSchema } from "./env.ts";
import { ExportTraceServiceResponse } from "./otlp/proto.ts";
import { encodeProtobufRequest, hexId, type FixtureSpan } from "./otlp/testing/fixtures.ts";
import { StoredSpanSchema, type StoredSpan } from "../store/types.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

const LIMIT = 262_144; // small enough to exceed cheaply, big enough for 1,001 fixture spans
const EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
const quiet = { info: () => {}, error: () => {} };
let collector: Collector;
let httpBase: string;
let grpcAddress: string;

beforeAll(async () => {
  const env = CollectorEnvSchema.parse({
    PORT: "0", GRPC_PORT: "0", DATABASE_URL: TEST_CONFIG.databaseUrl, BATCH_LINGER_MS: "2",
    BODY_LIMIT_BYTES: String(LIMIT), MAX_PENDING_SPANS: "1000", RETENTION_INTERVAL_MS: "3600000",
  });
  collector = createCollector(env, quiet);
  httpBase = `http://127.0.0.1:${await collector.listen()}`;
  grpcAddress = `127.0.0.1:${collector.grpcPort()}`;
});
afterAll(async () => {
  await collector?.close();
});

async function getSpans(traceId: string): Promise<StoredSpan[]> {
  const res = await fetch(`${httpBase}/api/traces/${traceId}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { spans: unknown[] };
  return body.spans.map((s) => StoredSpanSchema.parse(s)).sort((a, b) => a.spanId.localeCompare(b.spanId));
}

/** A root and a child with every attribute type, an event, a link, an error status, odd ns times. */
function recordSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "grpc-probe", "service.version": "1.0.0", "host.cores": 2 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("grpc-probe-scope", "0.1.0");
  const sec = Math.floor(Date.now() / 1000) - 5;
  const root = tracer.startSpan("GET /probe", { kind: SpanKind.SERVER, startTime: [sec, 123_456_789], attributes: { "http.request.method": "GET" } });
  const child = tracer.startSpan(
    "probe.call",
    {
      kind: SpanKind.CLIENT,
      startTime: [sec, 223_456_789],
      attributes: { "app.s": "x", "app.i": 42, "app.big": 2 ** 40, "app.d": 0.25, "app.b": true, "app.arr": ["a", "b"], "app.nums": [1, 2] },
      links: [{ context: { traceId: "ab".repeat(16), spanId: "cd".repeat(8), traceFlags: 1 }, attributes: { "app.link": "l" } }],
    },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  child.addEvent("retry", { attempt: 2 }, [sec, 323_456_789]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
  child.end([sec, 423_456_789]);
  root.end([sec, 523_456_789]);
  return memory.getFinishedSpans();
}

/** The same spans in another trace (same span ids, parents and links), for the HTTP copy. */
function inTrace(spans: ReadableSpan[], traceId: string): ReadableSpan[] {
  return spans.map((s) => {
    const context = { ...s.spanContext(), traceId };
    return {
      name: s.name, kind: s.kind, spanContext: () => context,
      parentSpanContext: s.parentSpanContext && { ...s.parentSpanContext, traceId },
      startTime: s.startTime, endTime: s.endTime, status: s.status, attributes: s.attributes, links: s.links,
      events: s.events, duration: s.duration, ended: s.ended, resource: s.resource, instrumentationScope: s.instrumentationScope,
      droppedAttributesCount: s.droppedAttributesCount, droppedEventsCount: s.droppedEventsCount, droppedLinksCount: s.droppedLinksCount,
    };
  });
}

function exportWith(exporter: { export: (spans: ReadableSpan[], done: (r: ExportResult) => void) => void }, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

type GrpcOutcome = { error: grpc.ServiceError | null; response: Buffer | undefined };

/** One raw Export call (bytes as given) through grpc-js, optionally gzip-compressed. */
async function rawExport(body: Uint8Array, opts: { gzip?: boolean; address?: string } = {}): Promise<GrpcOutcome> {
  const client = new grpc.Client(opts.address ?? grpcAddress, grpc.credentials.createInsecure(), opts.gzip ? { "grpc.default_compression_algorithm": 2 } : {});
  try {
    return await new Promise<GrpcOutcome>((resolve) => {
      const deadline = Date.now() + 20_000;
      client.makeUnaryRequest(EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(body), { deadline }, (error, response) =>
        resolve({ error, response }),
      );
    });
  } finally {
    client.close();
  }
}

function fixtureTrace(n: number): FixtureSpan[] {
  const traceId = hexId(16);
  const startNs = BigInt(Date.now() - 5_000) * 1_000_000n;
  return Array.from({ length: n }, (_, i) => ({ traceId, spanId: hexId(8), name: `op-${i}`, startNs, endNs: startNs + 1_000n }));
}

describe("OTLP/gRPC ingest with the official exporter", () => {
  it("stores spans identical to the same spans sent over OTLP/HTTP (attributes, times, parents, links, resource)", async () => {
    const spans = recordSpans();
    const grpcTraceId = spans[0]!.spanContext().traceId;
    const httpTraceId = hexId(16);
    const grpcExporter = new GrpcTraceExporter({ url: `http://${grpcAddress}`, timeoutMillis: 10_000 });
    const httpExporter = new ProtoTraceExporter({ url: `${httpBase}/v1/traces`, timeoutMillis: 10_000 });
    try {
      expect(await exportWith(grpcExporter, spans)).toEqual({ code: ExportResultCode.SUCCESS });
      expect(await exportWith(httpExporter, inTrace(spans, httpTraceId))).toEqual({ code: ExportResultCode.SUCCESS });
    } finally {
      await Promise.all([grpcExporter.shutdown(), httpExporter.shutdown()]);
    }
    const viaGrpc = await getSpans(grpcTraceId);
    const viaHttp = await getSpans(httpTraceId);
    expect(viaGrpc).toHaveLength(2);
    expect(viaGrpc).toEqual(viaHttp.map((s) => ({ ...s, traceId: grpcTraceId })));
    // And they are right, not merely equally wrong.
    const child = viaGrpc.find((s) => s.name === "probe.call")!;
    const root = viaGrpc.find((s) => s.name === "GET /probe")!;
    expect(child.parentSpanId).toBe(root.spanId);
    expect(BigInt(child.startTimeUnixNano) - BigInt(root.startTimeUnixNano)).toBe(100_000_000n);
    expect(child.startTimeUnixNano.endsWith("223456789")).toBe(true);
    expect(child).toMatchObject({
      kind: "CLIENT", serviceName: "grpc-probe", scopeName: "grpc-probe-scope", status: { code: "ERROR", message: "boom" },
      attributes: { "app.s": "x", "app.i": 42, "app.big": 2 ** 40, "app.d": 0.25, "app.b": true, "app.arr": ["a", "b"], "app.nums": [1, 2] },
      events: [{ name: "retry", attributes: { attempt: 2 } }],
      links: [{ traceId: "ab".repeat(16), spanId: "cd".repeat(8), attributes: { "app.link": "l" } }],
      resource: { "service.name": "grpc-probe", "service.version": "1.0.0", "host.cores": 2 },
    });
  });

  it("accepts gzip-compressed exports (grpc-encoding: gzip)", async () => {
    const spans = recordSpans();
    const exporter = new GrpcTraceExporter({ url: `http://${grpcAddress}`, compression: "gzip" as NonNullable<ConstructorParameters<typeof GrpcTraceExporter>[0]>["compression"] });
    try {
      expect(await exportWith(exporter, spans)).toEqual({ code: ExportResultCode.SUCCESS });
    } finally {
      await exporter.shutdown();
    }
    expect(await getSpans(spans[0]!.spanContext().traceId)).toHaveLength(2);
    // A raw gzip call too, so compression is known to be on the wire.
    const fixture = fixtureTrace(3);
    const { error } = await rawExport(encodeProtobufRequest("gz-grpc", fixture), { gzip: true });
    expect(error).toBeNull();
    expect(await getSpans(fixture[0]!.traceId)).toHaveLength(3);
  });
});

describe("OTLP/gRPC status codes", () => {
  it("OK with partial_success naming the rejected span; the valid ones are stored", async () => {
    const spans = fixtureTrace(3);
    spans[2] = { ...spans[2]!, endNs: spans[2]!.startNs - 1n };
    const { error, response } = await rawExport(encodeProtobufRequest("partial", spans));
    expect(error).toBeNull();
    const body = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(response!), { longs: Number });
    expect(body.partialSuccess).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringMatching(/endTimeUnixNano before startTimeUnixNano/) });
    expect(await getSpans(spans[0]!.traceId)).toHaveLength(2);
  });

  it("INVALID_ARGUMENT for undecodable bytes, and nothing of the message is stored", async () => {
    const garbage = await rawExport(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(garbage.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(garbage.error?.details).toMatch(/undecodable/);
    const spans = fixtureTrace(2);
    const truncated = encodeProtobufRequest("bad", spans).subarray(0, -3);
    expect((await rawExport(truncated)).error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await fetch(`${httpBase}/api/traces/${spans[0]!.traceId}`)).status).toBe(404);
  });

  it("RESOURCE_EXHAUSTED above the HTTP body limit, compressed or after inflating", async () => {
    const plain = await rawExport(Buffer.alloc(LIMIT + 1000));
    expect(plain.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const inflated = await rawExport(Buffer.alloc(LIMIT * 4), { gzip: true });
    expect(inflated.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  it("UNAVAILABLE with RetryInfo when the store is saturated (backpressure)", async () => {
    const { error } = await rawExport(encodeProtobufRequest("flood", fixtureTrace(1001))); // MAX_PENDING_SPANS 1000
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(error?.details).toMatch(/saturated/);
    const details = error?.metadata.get("grpc-status-details-bin")[0];
    expect(Buffer.isBuffer(details) && details.includes("type.googleapis.com/google.rpc.RetryInfo")).toBe(true);
  });

  it("the collector stays up: health answers and the next export is stored", async () => {
    expect((await fetch(`${httpBase}/health`)).status).toBe(200);
    const spans = fixtureTrace(2);
    expect((await rawExport(encodeProtobufRequest("after", spans))).error).toBeNull();
    expect(await getSpans(spans[0]!.traceId)).toHaveLength(2);
  });
});

describe("a collector whose database is down", () => {
  it("answers UNAVAILABLE (retryable), and close() releases the gRPC port", async () => {
    const env = CollectorEnvSchema.parse({ PORT: "0", GRPC_PORT: "0", DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere", RETENTION_INTERVAL_MS: "3600000" });
    const down = createCollector(env, quiet);
    await down.listen();
    const address = `127.0.0.1:${down.grpcPort()}`;
    try {
      const { error } = await rawExport(encodeProtobufRequest("down", fixtureTrace(2)), { address });
      expect(error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(error?.details).toBe("span store unavailable, retry later");
    } finally {
      await down.close();
    }
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(down.grpcPort()!, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve("connected")));
      socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
  });
});
