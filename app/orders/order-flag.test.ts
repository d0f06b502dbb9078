import { describe, expect, it } from "vitest";
import { orderFlag } from "./order-flag.ts";

const now = Date.parse("2026-12-03T10:00:00.000Z");
const placed = (msAgo: number) => new Date(now - msAgo).toISOString();

describe("orderFlag", () => {
  it("says nothing about terminal orders, however old", () => {
    expect(orderFlag({ status: "COMPENSATED", reason: "x", createdAt: placed(3_600_000), recovery: null }, now)).toBeNull();
  });

  it("says what the recovery sweeper is doing, and why the order waits", () => {
    const flag = orderFlag(
      { status: "PENDING", reason: "payment delayed, we will confirm", createdAt: placed(10_000), recovery: { action: "resume", attempts: 2, nextAttemptAt: new Date(now + 4_000).toISOString() } },
      now,
    );
    expect(flag).toEqual({ label: "recovering", why: "retrying the flow (attempt 2, next in 4 s): payment delayed, we will confirm" });
    const handedOver = orderFlag({ status: "PENDING", reason: null, createdAt: placed(1_000), recovery: { action: "compensate", attempts: 0, nextAttemptAt: null } }, now);
    expect(handedOver).toEqual({ label: "recovering", why: "finishing the compensation (handed over)" });
  });

  it("flags an order stuck when it is not terminal long after it was placed", () => {
    expect(orderFlag({ status: "CONFIRMED", reason: null, createdAt: placed(61_000), recovery: null }, now)).toMatchObject({ label: "stuck" });
    expect(orderFlag({ status: "CONFIRMED", reason: null, createdAt: placed(5_000), recovery: null }, now)).toBeNull();
  });
});
