import { describe, expect, it } from "vitest";
import { Events } from "../../contracts/index.ts";
import { outcomeOf } from "./outcome.ts";

describe("outcomeOf", () => {
  it("classifies starts, successes, failures and compensations", () => {
    expect(outcomeOf(Events.ORDER_CREATED)).toBe("started");
    expect(outcomeOf(Events.SHIPMENT_CREATED)).toBe("success");
    expect(outcomeOf(Events.PAYMENT_DECLINED)).toBe("failure");
    expect(outcomeOf(Events.PAYMENT_REFUNDED)).toBe("compensation");
    expect(outcomeOf(Events.INVENTORY_RELEASED)).toBe("compensation");
  });
});
