import { describe, expect, it } from "vitest";
import { z } from "zod";
import { StoredSpanSchema } from "../store/types.ts";
import fixture from "./fixtures/dead-letters.json" with { type: "json" };
import { buildDeadLetterEntries } from "./reconstruct.ts";

const spans = z.array(StoredSpanSchema).parse(fixture);
const entries = buildDeadLetterEntries(spans);
const byId = (id: string) => entries.find((e) => e.id === id);
const Q = "order-events.payment";

describe("buildDeadLetterEntries", () => {
  it("lists one entry per dead letter, newest first, including a failed replay as its own dead letter", () => {
    expect(entries.map((e) => e.id)).toEqual([
      `${Q}/job-d~replay`,
      `${Q}/job-g`,
      "shipping-events.order/job-f",
      `${Q}/job-d`,
      `${Q}/job-b`,
      `${Q}/job-a`,
    ]);
  });

  it("keeps the first span of a dead letter written twice (worker and a racing reconciler)", () => {
    expect(byId(`${Q}/job-a`)).toMatchObject({ reason: "unrecoverable", attempts: 1, detectedBy: "worker", replay: null, replayOf: null });
  });

  it("takes source queue, reason, attempts, error, payload and the original trace from the span", () => {
    const b = byId(`${Q}/job-b`)!;
    expect(b).toMatchObject({
      sourceQueue: Q,
      jobName: "OrderCreated",
      originalJobId: "job-b",
      reason: "exhausted",
      attempts: 2,
      maxAttempts: 5,
      errorMessage: "card processor unreachable",
      errorType: "Error",
      payloadTruncated: false,
      serviceName: "payment",
      traceId: "b".repeat(32),
    });
    expect(JSON.parse(b.payload)).toEqual({ messageId: "job-b", orderId: "o-1", amountCents: 1200 });
    expect(b.errorStack).toContain("at charge");
  });

  it("marks a replayed-and-processed message with its new trace", () => {
    expect(byId(`${Q}/job-b`)!.replay).toMatchObject({ status: "processed", traceId: "c".repeat(32), jobId: "job-b~replay", attempts: 1, serviceName: "dashboard", deadLetterId: null });
  });

  it("marks a replay that was dead-lettered again as failed-again and links the new dead letter back", () => {
    expect(byId(`${Q}/job-d`)!.replay).toMatchObject({ status: "failed-again", attempts: 2, deadLetterId: `${Q}/job-d~replay` });
    expect(byId(`${Q}/job-d~replay`)).toMatchObject({ replayOf: `${Q}/job-d`, traceId: "e".repeat(32), replay: null });
  });

  it("tells a replay still retrying from one not picked up yet, ignoring other queues' spans", () => {
    expect(byId("shipping-events.order/job-f")!.replay).toMatchObject({ status: "retrying", attempts: 1 });
    expect(byId("shipping-events.order/job-f")!.reason).toBe("stalled");
    expect(byId(`${Q}/job-g`)!.replay).toMatchObject({ status: "pending", attempts: 0, endedAtUnixNano: null });
  });

  it("ignores spans that are not about dead letters", () => {
    expect(buildDeadLetterEntries(spans.filter((s) => s.name.startsWith("process ")))).toEqual([]);
  });
});
