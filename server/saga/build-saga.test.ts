import { describe, expect, it } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { buildSaga, buildSagas, type BuildSagaOptions } from "./build-saga.ts";
import completedJson from "./fixtures/completed.json" with { type: "json" };
import compensatedJson from "./fixtures/compensated.json" with { type: "json" };
import stuckJson from "./fixtures/stuck.json" with { type: "json" };
import resumedJson from "./fixtures/resumed.json" with { type: "json" };

const completed = completedJson as unknown as StoredSpan[];
const compensated = compensatedJson as unknown as StoredSpan[];
const stuck = stuckJson as unknown as StoredSpan[];
const resumed = resumedJson as unknown as StoredSpan[];
const MS = 1_000_000;
/** Fixture sagas start at 1763800000000 ms; "now" a second later keeps them fresh. */
const SOON = { nowMs: 1_763_800_001_000 };
const LATER = { nowMs: 1_763_800_000_000 + 10 * 60_000 };

function build(spans: StoredSpan[], options: BuildSagaOptions = SOON) {
  const saga = buildSaga(spans, options);
  if (!saga) throw new Error("no saga rebuilt");
  return saga;
}

describe("buildSaga", () => {
  it("rebuilds a completed saga: plan order, every step succeeded, no current step", () => {
    const saga = build(completed, LATER);
    expect(saga.status).toBe("completed");
    expect(saga.plan).toEqual(["reserveStock", "checkCredit", "chargePayment", "createShipment"]);
    expect(saga.steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(saga.currentStep).toBeNull();
    expect(saga.orderId).toMatch(/^00000000-/);
    expect(saga.style).toBe("saga");
    expect(saga.endOffsetNs).toBe(91 * MS);
    expect(saga.markers.map((m) => m.kind)).toEqual(["start", "end"]);
  });

  it("does not call a step compensated when its compensation found nothing to undo (it never ran)", () => {
    const spans = compensated.map((span) =>
      span.attributes["app.saga.step"] === "chargePayment" && span.attributes["app.saga.action"] === "compensate"
        ? { ...span, attributes: { ...span.attributes, "app.undo.noop": true } }
        : span,
    );
    const saga = build(spans, LATER);
    expect(saga.steps.find((s) => s.name === "chargePayment")!.state).toBe("failed");
    expect(saga.steps.find((s) => s.name === "reserveStock")!.state).toBe("compensated");
    expect(saga.compensationOrder).toEqual(["chargePayment", "reserveStock"]);
    expect(saga.noopCompensations).toEqual(["chargePayment"]);
  });

  it("rebuilds a compensated saga with compensations in reverse plan order", () => {
    const saga = build(compensated, LATER);
    expect(saga.status).toBe("compensated");
    expect(saga.reason).toBe("parcel too large");
    expect(saga.steps.map((s) => [s.name, s.state])).toEqual([
      ["reserveStock", "compensated"],
      ["checkCredit", "succeeded"],
      ["chargePayment", "compensated"],
      ["createShipment", "failed"],
    ]);
    expect(saga.compensationOrder).toEqual(["chargePayment", "reserveStock"]);
    const failed = saga.steps[3]!.executions[0]!;
    expect(failed).toMatchObject({ outcome: "failed", reason: "parcel too large", isError: true, offsetNs: 50 * MS });
    const refund = saga.steps[2]!.compensations[0]!;
    expect(refund.offsetNs).toBeGreaterThan(failed.offsetNs);
  });

  it("marks a saga stuck when it has not ended and its last span is older than the threshold", () => {
    const fresh = build(stuck, SOON);
    expect(fresh.status).toBe("running");
    expect(fresh.steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "running", "pending"]);
    expect(fresh.currentStep).toBe("chargePayment");
    const old = build(stuck, LATER);
    expect(old.status).toBe("stuck");
    expect(old.steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "pending", "pending"]);
    expect(old.currentStep).toBe("chargePayment");
    expect(build(stuck, { ...SOON, stuckAfterMs: 100 }).status).toBe("stuck");
  });

  it("joins a saga resumed in a second trace, with a resume marker and both trace ids", () => {
    const saga = build(resumed, LATER);
    expect(saga.status).toBe("completed");
    expect(saga.traceIds).toEqual(["c3".repeat(16), "c4".repeat(16)]);
    expect(saga.markers.map((m) => [m.kind, m.offsetNs / MS])).toEqual([
      ["start", 0],
      ["resume", 5000],
      ["end", 5050],
    ]);
    expect(saga.steps.every((s) => s.state === "succeeded")).toBe(true);
    expect(saga.steps[1]!.executions[0]!.traceId).toBe("c4".repeat(16));
  });

  it("gives the same saga whatever the input order", () => {
    for (const spans of [completed, compensated, resumed]) {
      const reversed = [...spans].reverse();
      const shuffled = [...spans].sort((a, b) => a.spanId.charCodeAt(15) % 3 - b.spanId.charCodeAt(15) % 3);
      expect(build(reversed, LATER)).toEqual(build(spans, LATER));
      expect(build(shuffled, LATER)).toEqual(build(spans, LATER));
    }
  });

  it("falls back to the steps seen when the start span is missing", () => {
    const saga = build(compensated.filter((s) => !s.name.startsWith("saga.start")), LATER);
    expect(saga.plan).toEqual(["reserveStock", "checkCredit", "chargePayment", "createShipment"]);
    expect(saga.status).toBe("compensated");
  });
});

describe("buildSaga: a step waiting for its next attempt, and people's requests", () => {
  const base = stuck[2]!; // saga.execute checkCredit (succeeded), as a template
  const T0 = 1_763_800_000_000;
  /** A `saga.execute chargePayment` attempt without an answer, at `atMs` after the start, retried `retryInMs` later. */
  const noAnswer = (attempt: number, atMs: number, retryInMs: number | null): StoredSpan => ({
    ...base,
    spanId: `c0c0c0c0c0c0c0${String(attempt).padStart(2, "0")}`,
    name: "saga.execute chargePayment",
    startTimeUnixNano: String(BigInt(T0 + atMs) * 1_000_000n),
    endTimeUnixNano: String(BigInt(T0 + atMs + 5) * 1_000_000n),
    status: { code: "ERROR", message: "payment unreachable" },
    attributes: {
      ...base.attributes,
      "app.saga.step": "chargePayment",
      "app.saga.step.index": 2,
      "app.saga.step.outcome": "failed",
      "app.saga.reason": "payment unreachable",
      "app.saga.step.attempt": attempt,
      "app.saga.give_up_at_ms": T0 + 300_000,
      ...(retryInMs === null ? {} : { "app.saga.next_attempt_at_ms": T0 + atMs + retryInMs }),
    },
  });
  const request = (kind: "cancel" | "retry", atMs: number, outcome: string): StoredSpan => ({
    ...base,
    spanId: `d0d0d0d0d0d0d0${kind === "cancel" ? "01" : "02"}`,
    name: `saga.request ${kind}`,
    startTimeUnixNano: String(BigInt(T0 + atMs) * 1_000_000n),
    endTimeUnixNano: String(BigInt(T0 + atMs + 1) * 1_000_000n),
    status: { code: "UNSET", message: null },
    attributes: {
      "app.saga.id": base.attributes["app.saga.id"]!, "app.order.id": "o-1", "app.saga.request": kind, "app.saga.request.outcome": outcome,
      "app.saga.status": "running", "app.saga.step": "chargePayment", "app.saga.step.attempt": 2,
    },
  });
  const waiting = [...stuck, noAnswer(1, 40, 300), noAnswer(2, 400, 8_000)];

  it("shows the waiting step with its attempt, last error, next attempt and give-up time; the saga still runs forward", () => {
    const saga = build(waiting, { nowMs: T0 + 2_000 });
    expect(saga.status).toBe("running");
    expect(saga.steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "waiting", "pending"]);
    expect(saga.currentStep).toBe("chargePayment");
    expect(saga.pending).toEqual({ step: "chargePayment", attempts: 2, lastError: "payment unreachable", nextAttemptAtMs: T0 + 8_400, giveUpAtMs: T0 + 300_000 });
    expect(saga.stuckReason).toBeNull();
  });

  it("is not stuck while its next attempt is not due, and says why once it is long overdue", () => {
    const retryLater = [...stuck, noAnswer(1, 40, 60_000)];
    expect(build(retryLater, { nowMs: T0 + 50_000, stuckAfterMs: 30_000 }).status).toBe("running");
    const overdue = build(retryLater, { nowMs: T0 + 200_000, stuckAfterMs: 30_000 });
    expect(overdue.status).toBe("stuck");
    expect(overdue.stuckReason).toMatch(/attempt 2 at chargePayment was due at .* and has not run: the order service may be down/);
    expect(overdue.stuckReason).toContain("payment unreachable");
    expect(overdue.pending?.step).toBe("chargePayment");
  });

  it("names a stuck saga's idle time when no step waits", () => {
    const saga = build(stuck, LATER);
    expect(saga.stuckReason).toMatch(/^no saga span for \d+ s while chargePayment was next/);
  });

  it("places requests on the timeline with how they were taken, without mistaking them for resumes", () => {
    const saga = build([...waiting, request("retry", 1_000, "accepted"), request("cancel", 1_500, "already-requested")], { nowMs: T0 + 2_000 });
    expect(saga.markers.map((m) => [m.kind, m.outcome])).toEqual([["start", null], ["retry", "accepted"], ["cancel", "already-requested"]]);
    expect(saga.status).toBe("running");
    // Requests, and other spans that only name the saga (the gateway's), come in other traces: not the saga's.
    const gateway: StoredSpan = { ...request("cancel", 1_400, "accepted"), spanId: "f0f0f0f0f0f0f0f0", traceId: "ab".repeat(16), name: "POST /v2/orders/:id/cancel",
      attributes: { "app.saga.id": base.attributes["app.saga.id"]!, "app.saga.request.outcome": "accepted" } };
    const withOthers = build([...waiting, { ...request("retry", 1_000, "accepted"), traceId: "cd".repeat(16) }, gateway], { nowMs: T0 + 2_000 });
    expect(withOthers.traceIds).toEqual(build(waiting, { nowMs: T0 + 2_000 }).traceIds);
    expect(withOthers.traceIds).toHaveLength(1);
  });

  it("a step left waiting when the saga compensated counts as failed, and the saga has nothing pending", () => {
    const undo: StoredSpan = {
      ...base, spanId: "e0e0e0e0e0e0e001", name: "saga.compensate reserveStock",
      startTimeUnixNano: String(BigInt(T0 + 1_000) * 1_000_000n), endTimeUnixNano: String(BigInt(T0 + 1_010) * 1_000_000n),
      attributes: { ...base.attributes, "app.saga.step": "reserveStock", "app.saga.step.index": 0, "app.saga.action": "compensate", "app.saga.step.outcome": "succeeded" },
    };
    const saga = build([...waiting, undo], { nowMs: T0 + 2_000 });
    expect(saga.status).toBe("compensating");
    expect(saga.steps.find((s) => s.name === "chargePayment")!.state).toBe("failed");
    expect(saga.pending).toBeNull();
  });
});

describe("buildSagas", () => {
  it("groups mixed spans by saga id, newest first, ignoring spans without one", () => {
    const other = { ...completed[0]!, spanId: "ffffffffffffffff", attributes: {} };
    const sagas = buildSagas([...resumed, other, ...stuck, ...completed, ...compensated], LATER);
    expect(sagas.map((s) => s.sagaId).sort()).toEqual(
      ["saga-completed-000001", "saga-compensated-0002", "saga-resumed-000000004", "saga-stuck-00000000003"].sort(),
    );
    expect(sagas.find((s) => s.sagaId === "saga-stuck-00000000003")!.status).toBe("stuck");
  });
});
