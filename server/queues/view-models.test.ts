import { describe, expect, it } from "vitest";
import {
  discardedIds,
  pageOf,
  queueNameOfMetaKey,
  throughputOf,
  toJobRow,
  toJsonText,
  toQueueCounts,
  traceIdOfJob,
  type JobLike,
} from "./view-models.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const metadata = (traceparent: string) => JSON.stringify({ traceparent });

const failedJob: JobLike = {
  id: "msg-1",
  name: "OrderCreated",
  data: { orderId: "o-1" },
  opts: { attempts: 5, telemetry: { metadata: metadata(`00-${TRACE}-00f067aa0ba902b7-01`) } },
  attemptsMade: 5,
  timestamp: 1_000,
  processedOn: 2_000,
  finishedOn: 3_000,
  failedReason: "poison message",
  stacktrace: ["Error: poison message\n    at run"],
};

describe("traceIdOfJob", () => {
  it("reads the trace id from bullmq-otel's carrier in opts.telemetry.metadata", () => {
    expect(traceIdOfJob(failedJob)).toBe(TRACE);
  });

  it("answers null when there is no context, bad JSON, a bad traceparent or the all-zero trace", () => {
    expect(traceIdOfJob({ opts: {} })).toBeNull();
    expect(traceIdOfJob({ opts: { telemetry: { metadata: "{not json" } } })).toBeNull();
    expect(traceIdOfJob({ opts: { telemetry: { metadata: metadata("00-xyz-00f067aa0ba902b7-01") } } })).toBeNull();
    expect(traceIdOfJob({ opts: { telemetry: { metadata: metadata(`00-${"0".repeat(32)}-00f067aa0ba902b7-01`) } } })).toBeNull();
    expect(traceIdOfJob({ opts: { telemetry: { metadata: JSON.stringify({ traceparent: 42 }) } } })).toBeNull();
  });
});

describe("toJobRow", () => {
  it("maps a failed job: payload, attempts, timestamps, reason, stack and trace", () => {
    expect(toJobRow(failedJob, "failed")).toEqual({
      id: "msg-1",
      name: "OrderCreated",
      state: "failed",
      payload: JSON.stringify({ orderId: "o-1" }, null, 2),
      attemptsMade: 5,
      maxAttempts: 5,
      createdAt: 1_000,
      processedAt: 2_000,
      finishedAt: 3_000,
      dueAt: null,
      failedReason: "poison message",
      stacktrace: ["Error: poison message\n    at run"],
      traceId: TRACE,
      returnValue: null,
    });
  });

  it("gives a delayed job its due time and a job without attempts one attempt", () => {
    const row = toJobRow({ name: "x", data: null, opts: {}, attemptsMade: 1, timestamp: 5_000, delay: 2_000, failedReason: "" }, "delayed");
    expect(row.dueAt).toBe(7_000);
    expect(row.maxAttempts).toBe(1);
    expect(row.failedReason).toBeNull();
    expect(row.id).toBe("");
  });

  it("shows a return value and caps a huge payload", () => {
    const row = toJobRow({ ...failedJob, data: "x".repeat(30_000), returnvalue: { handled: true } }, "completed");
    expect(row.returnValue).toContain('"handled": true');
    expect(row.payload.length).toBeLessThan(20_100);
    expect(row.payload).toContain("cut at 20000 characters");
  });
});

describe("toJsonText", () => {
  it("does not throw on values JSON cannot write", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toJsonText(cyclic)).toBe("[object Object]");
    expect(toJsonText(undefined)).toBe("undefined");
  });
});

describe("toQueueCounts", () => {
  it("gives every state a count, reading BullMQ's `wait` as waiting", () => {
    const counts = toQueueCounts({ wait: 3, failed: 2 });
    expect(counts.waiting).toBe(3);
    expect(counts.failed).toBe(2);
    expect(counts.active).toBe(0);
    expect(Object.keys(counts)).toHaveLength(8);
  });
});

describe("throughputOf", () => {
  it("counts jobs finished in the last minute and says when the sample may hide more", () => {
    const now = 100_000;
    expect(throughputOf([99_000, 50_000, 30_000, undefined], now, 4)).toEqual({ perMin: 2, isCapped: false });
    expect(throughputOf([99_000, 98_000], now, 2)).toEqual({ perMin: 2, isCapped: true });
    expect(throughputOf([], now, 50)).toEqual({ perMin: 0, isCapped: false });
  });
});

describe("queueNameOfMetaKey", () => {
  it("takes the name between prefix and :meta, and nothing of another prefix", () => {
    expect(queueNameOfMetaKey("sy:order-events.payment:meta", "sy")).toBe("order-events.payment");
    expect(queueNameOfMetaKey("sytest:order-events.payment:meta", "sy")).toBeNull();
    expect(queueNameOfMetaKey("sy:order-events.payment:id", "sy")).toBeNull();
    expect(queueNameOfMetaKey("sy::meta", "sy")).toBeNull();
  });
});

describe("pageOf", () => {
  it("pages 1,000 names and clamps the page into range", () => {
    const names = Array.from({ length: 1000 }, (_, i) => `q-${i}`);
    const page = pageOf(names, 3, 50);
    expect(page.items[0]).toBe("q-100");
    expect(page.items).toHaveLength(50);
    expect(page.pages).toBe(20);
    expect(pageOf(names, 99, 50).page).toBe(20);
    expect(pageOf([], 1, 50)).toEqual({ items: [], page: 1, pages: 1, total: 0 });
  });
});

describe("discardedIds", () => {
  it("takes only discard spans that removed the dead letter", () => {
    const span = (operation: string, id: string, outcome?: string) => ({
      attributes: { "messaging.operation.name": operation, "app.dlq.id": id, ...(outcome ? { "app.queue.action.outcome": outcome } : {}) },
    });
    const ids = discardedIds([span("discard", "q/a", "done"), span("discard", "q/b", "not-found"), span("replay", "q/c"), span("dead-letter", "q/d")]);
    expect([...ids]).toEqual(["q/a"]);
  });
});
