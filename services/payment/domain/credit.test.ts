import { describe, expect, it } from "vitest";
import { DemoCustomers } from "../../contracts/index.ts";
import { replyMessageId } from "../jobs/credit-check.job.ts";
import { assessCredit, CREDIT_CHECK_MAX_CENTS, creditLimitFor, DEFAULT_CREDIT_LIMIT_CENTS } from "./credit.ts";

describe("credit rules", () => {
  it("approves ordinary customers and rejects the flagged one and oversized orders", () => {
    expect(assessCredit("someone", 5000)).toEqual({ approved: true, reason: null });
    expect(assessCredit(DemoCustomers.FRAUD, 5000).approved).toBe(false);
    expect(assessCredit("someone", CREDIT_CHECK_MAX_CENTS + 1).reason).toMatch(/single-order limit/);
  });
  it("opens the broke customer's account without credit", () => {
    expect(creditLimitFor(DemoCustomers.BROKE)).toBe(0);
    expect(creditLimitFor("someone")).toBe(DEFAULT_CREDIT_LIMIT_CENTS);
  });
});

describe("replyMessageId", () => {
  it("is a stable UUID per request, so a redelivered request's reply is deduplicated", () => {
    const request = "6f1c1a52-3f7e-4c1e-9a55-0c8f8c1b2d3e";
    expect(replyMessageId(request)).toBe(replyMessageId(request));
    expect(replyMessageId(request)).not.toBe(replyMessageId("7f1c1a52-3f7e-4c1e-9a55-0c8f8c1b2d3e"));
    expect(replyMessageId(request)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
