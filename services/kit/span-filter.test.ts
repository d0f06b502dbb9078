import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { isTracingSuppressed } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessagingPattern } from "../contracts/index.ts";
import { createQueueTelemetry } from "./queue-telemetry.ts";
import { DropRepeatingSpans, repeatsItsParent } from "./span-filter.ts";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new DropRepeatingSpans(new SimpleSpanProcessor(exporter))] });

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

const statement = (text: string) => ({ name: "prisma:client:db_query", attributes: { "db.query.text": text } });

describe("spans that only repeat their parent", () => {
  it("are a transaction's BEGIN and COMMIT statements, not ROLLBACK or real statements", () => {
    expect(repeatsItsParent(statement("COMMIT"))).toBe(true);
    expect(repeatsItsParent(statement(" begin "))).toBe(true);
    expect(repeatsItsParent(statement("ROLLBACK"))).toBe(false);
    expect(repeatsItsParent(statement("INSERT INTO x VALUES (1)"))).toBe(false);
    expect(repeatsItsParent({ name: "COMMIT", attributes: {} })).toBe(false);
  });

  it("never reach the exporter; every other span does", () => {
    exporter.reset();
    const tracer = provider.getTracer("test");
    for (const text of ["INSERT INTO x VALUES (1)", "COMMIT", "ROLLBACK"]) {
      tracer.startSpan("prisma:client:db_query", { attributes: { "db.query.text": text } }).end();
    }
    expect(exporter.getFinishedSpans().map((s: ReadableSpan) => s.attributes["db.query.text"])).toEqual(["INSERT INTO x VALUES (1)", "ROLLBACK"]);
  });

  it("include bullmq's `complete`: no span, and no span for its Redis commands; `process` stays", () => {
    exporter.reset();
    const { tracer } = createQueueTelemetry("q", MessagingPattern.PUBLISH_SUBSCRIBE)!;
    const process = tracer.startSpan("process q", { kind: SpanKind.CONSUMER }, ROOT_CONTEXT);
    const inProcess = process.setSpanOnContext(ROOT_CONTEXT);
    const complete = tracer.startSpan("complete q", { kind: SpanKind.INTERNAL }, inProcess);
    const inComplete = complete.setSpanOnContext(inProcess);
    expect(isTracingSuppressed(inComplete)).toBe(true);
    expect(trace.getSpan(inComplete)?.spanContext().spanId).toBe(trace.getSpan(inProcess)?.spanContext().spanId);
    complete.end();
    // Other housekeeping keeps its span, but its Redis commands are not traced.
    const extend = tracer.startSpan("extendLock q", { kind: SpanKind.INTERNAL }, inProcess);
    expect(isTracingSuppressed(extend.setSpanOnContext(inProcess))).toBe(true);
    extend.end();
    process.end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["extendLock q", "process q"]);
  });
});
