/**
 * Realistic OTLP protobuf payloads for the ingest benchmark: 512 spans per request, traces of
 * 8 spans (HTTP server root, RPC client/server pairs, DB and queue spans) with typical attributes.
 */
import { randomBytes } from "node:crypto";
import { ExportTraceServiceRequest } from "../server/collector/otlp/proto.ts";

const SERVICES = ["order", "inventory", "notification", "payments"];
const SPANS_PER_TRACE = 8;

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });

function spanAttributes(i: number, traceNo: number) {
  const common = [str("http.request.method", i % 2 ? "POST" : "GET"), str("url.path", `/api/orders/${traceNo}`),
    int("http.response.status_code", i === 5 ? 500 : 200), str("server.address", "127.0.0.1"), int("server.port", 4101)];
  if (i % 3 === 1) return [...common, str("rpc.system", "trpc"), str("rpc.method", "reserveStock"), str("rpc.service", "inventory")];
  if (i % 3 === 2) return [...common, str("db.system.name", "postgresql"), str("db.query.text", "SELECT id, stock FROM inventory.products WHERE id = $1 FOR UPDATE")];
  return [...common, str("messaging.system", "bullmq"), str("messaging.destination.name", "order-events"), str("app.order.id", randomBytes(16).toString("hex"))];
}

function makeTrace(startNs: bigint, traceNo: number) {
  const traceId = randomBytes(16);
  const ids = Array.from({ length: SPANS_PER_TRACE }, () => randomBytes(8));
  return ids.map((spanId, i) => ({
    traceId,
    spanId,
    parentSpanId: i === 0 ? Buffer.alloc(0) : ids[Math.floor((i - 1) / 2)],
    name: i === 0 ? "POST /api/trpc/order.placeOrder" : `op-${i % 4}`,
    kind: i === 0 ? 2 : (i % 5) + 1,
    startTimeUnixNano: (startNs + BigInt(i) * 100_000n).toString(),
    endTimeUnixNano: (startNs + BigInt(i) * 100_000n + 2_000_000n).toString(),
    attributes: spanAttributes(i, traceNo),
    events: i === 5 ? [{ timeUnixNano: (startNs + 1_000_000n).toString(), name: "exception", attributes: [str("exception.type", "Error"), str("exception.message", "out of stock")] }] : [],
    status: i === 5 ? { code: 2, message: "out of stock" } : { code: 0 },
  }));
}

/** One encoded ExportTraceServiceRequest of `spans` spans (multiple of 8), one resource per service. */
export function makeRequest(spans: number, startNs: bigint, seq: number): Uint8Array {
  const traces = Array.from({ length: spans / SPANS_PER_TRACE }, (_, t) => makeTrace(startNs + BigInt(t) * 1_000_000n, seq * 1000 + t));
  const byService = SERVICES.map((service, s) => ({
    resource: { attributes: [str("service.name", service), str("service.version", "1.4.2"), str("host.name", "bench-host"), str("telemetry.sdk.language", "nodejs"), int("process.pid", 4242 + s)] },
    scopeSpans: [{ scope: { name: "@opentelemetry/instrumentation-http", version: "0.223.0" }, spans: traces.filter((_, t) => t % SERVICES.length === s).flat() }],
  }));
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject({ resourceSpans: byService })).finish();
}
