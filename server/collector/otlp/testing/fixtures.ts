/**
 * Test fixtures for OTLP requests: plain objects in the protobufjs/OTLP-JSON shape, encoded with
 * the same vendored types the collector decodes with, plus spans serialized by the real
 * OpenTelemetry JS exporter code (@opentelemetry/otlp-transformer).
 */
import { randomBytes } from "node:crypto";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { ProtobufTraceSerializer, JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ExportTraceServiceRequest } from "../proto.ts";

/** Random lower-case hex id of `bytes` bytes. */
export function hexId(bytes: 8 | 16): string {
  return randomBytes(bytes).toString("hex");
}

/** Description of one test span; times in ns (bigint). */
export type FixtureSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startNs: bigint;
  endNs: bigint;
  statusCode?: number;
  attributes?: Record<string, string | number | boolean>;
};

function anyValue(v: string | number | boolean) {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
}

/** Protobuf bytes of an ExportTraceServiceRequest with one resource/scope holding `spans`. */
export function encodeProtobufRequest(service: string, spans: FixtureSpan[]): Uint8Array {
  const message = {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: "fixture" },
        spans: spans.map((s) => ({
          traceId: Buffer.from(s.traceId, "hex"),
          spanId: Buffer.from(s.spanId, "hex"),
          parentSpanId: Buffer.from(s.parentSpanId ?? "", "hex"),
          name: s.name,
          kind: s.kind ?? 1,
          startTimeUnixNano: s.startNs.toString(),
          endTimeUnixNano: s.endNs.toString(),
          attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: anyValue(v) })),
          status: { code: s.statusCode ?? 0, message: s.statusCode === 2 ? "boom" : "" },
        })),
      }],
    }],
  };
  // fromObject (not verify) because it accepts decimal strings for the 64-bit times.
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(message)).finish();
}

/** OTLP JSON body (ids hex, int64 as strings) for the same description. */
export function encodeJsonRequest(service: string, spans: FixtureSpan[]): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: "fixture" },
        spans: spans.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? "",
          name: s.name,
          kind: s.kind ?? 1,
          startTimeUnixNano: s.startNs.toString(),
          endTimeUnixNano: s.endNs.toString(),
          attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({
            key,
            value: typeof v === "number" && Number.isInteger(v) ? { intValue: String(v) } : anyValue(v),
          })),
          status: { code: s.statusCode ?? 0, message: s.statusCode === 2 ? "boom" : "" },
        })),
      }],
    }],
  });
}

/** Two real spans (SERVER parent + CLIENT child with an event and an error) from the OTel SDK. */
export function recordRealSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "order", "service.version": "1.2.3" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("fixture-tracer", "0.0.1");
  // No context manager is registered here, so the parent is passed explicitly.
  // Explicit times: two spans started in the same clock tick would sort by their random ids.
  const startMs = Date.now();
  const parent = tracer.startSpan("order.placeOrder", { kind: SpanKind.SERVER, startTime: startMs, attributes: { "rpc.system": "trpc" } });
  const child = tracer.startSpan(
    "inventory.reserveStock",
    { kind: SpanKind.CLIENT, startTime: startMs + 1, attributes: { "app.order.quantity": 3, "app.flags": ["a", "b"], "app.ratio": 0.5, "app.ok": false } },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  child.addEvent("retry", { attempt: 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "out of stock" });
  child.end(startMs + 3);
  parent.end(startMs + 4);
  return exporter.getFinishedSpans();
}

/** Bytes exactly as @opentelemetry/exporter-trace-otlp-proto would POST them. */
export function realProtobufBody(): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(recordRealSpans());
  if (!bytes) throw new Error("serializer returned nothing");
  return bytes;
}

/** Bytes exactly as @opentelemetry/exporter-trace-otlp-http (JSON) would POST them. */
export function realJsonBody(): Uint8Array {
  const bytes = JsonTraceSerializer.serializeRequest(recordRealSpans());
  if (!bytes) throw new Error("serializer returned nothing");
  return bytes;
}
