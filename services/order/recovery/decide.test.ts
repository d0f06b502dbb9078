import { describe, expect, it } from "vitest";
import { decideRecovery, type RecoveryFacts } from "./decide.ts";

const base: RecoveryFacts = { style: "sync", status: "PENDING", recovery: null, reason: null, ageMs: 5_000, giveUpAfterMs: 60_000 };

describe("decideRecovery", () => {
  it("resumes a sync or hybrid order whose step got no answer, saying what was delayed", () => {
    const decision = decideRecovery({ ...base, recovery: "resume", reason: "payment delayed, we will confirm" });
    expect(decision.action).toBe("resume");
    expect(decision.reason).toContain("payment delayed");
    expect(decideRecovery({ ...base, style: "hybrid" }).action).toBe("resume");
  });

  it("resumes an order whose placing process died (no hand-over recorded)", () => {
    expect(decideRecovery(base)).toMatchObject({ action: "resume", reason: expect.stringContaining("process gone") });
  });

  it("always finishes a compensation that was started, even before the give-up deadline", () => {
    expect(decideRecovery({ ...base, recovery: "compensate", shipment: "CREATED" }).action).toBe("compensate");
  });

  it("gives up and compensates past the deadline instead of retrying forever", () => {
    expect(decideRecovery({ ...base, recovery: "resume", ageMs: 60_000 }).action).toBe("compensate");
    expect(decideRecovery({ ...base, style: "choreography", ageMs: 61_000, shipment: null }).action).toBe("compensate");
  });

  it("completes a choreographed or CONFIRMED order whose parcel shipping booked", () => {
    expect(decideRecovery({ ...base, style: "choreography", shipment: "CREATED" }).action).toBe("complete");
    expect(decideRecovery({ ...base, style: "hybrid", status: "CONFIRMED", shipment: "CREATED", ageMs: 90_000 }).action).toBe("complete");
  });

  it("compensates when shipping refused or cancelled the parcel", () => {
    expect(decideRecovery({ ...base, style: "hybrid", status: "CONFIRMED", shipment: "REJECTED" }).action).toBe("compensate");
    expect(decideRecovery({ ...base, style: "choreography", shipment: "CANCELLED" }).action).toBe("compensate");
  });

  it("waits for a choreography's events, or shipping's answer to a CONFIRMED order, until the deadline", () => {
    expect(decideRecovery({ ...base, style: "choreography", shipment: null }).action).toBe("wait");
    expect(decideRecovery({ ...base, style: "hybrid", status: "CONFIRMED", shipment: null }).action).toBe("wait");
  });
});
