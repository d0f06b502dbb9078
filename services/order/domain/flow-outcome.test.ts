import { describe, expect, it } from "vitest";
import { Events } from "../../contracts/index.ts";
import { choreographyOutcome } from "./flow-outcome.ts";

const seen = (...names: string[]) => new Set(names);

describe("choreographyOutcome", () => {
  it("completes on ShipmentCreated", () => {
    expect(choreographyOutcome(seen(Events.PAYMENT_COMPLETED, Events.INVENTORY_RESERVED, Events.SHIPMENT_CREATED))).toBe("COMPLETED");
  });

  it("rejects on PaymentDeclined (nothing took effect)", () => {
    expect(choreographyOutcome(seen(Events.PAYMENT_DECLINED))).toBe("REJECTED");
  });

  it("waits for the refund after InventoryRejected, whichever arrives first", () => {
    expect(choreographyOutcome(seen(Events.PAYMENT_COMPLETED, Events.INVENTORY_REJECTED))).toBeNull();
    expect(choreographyOutcome(seen(Events.PAYMENT_REFUNDED))).toBeNull();
    expect(choreographyOutcome(seen(Events.PAYMENT_REFUNDED, Events.INVENTORY_REJECTED))).toBe("COMPENSATED");
  });

  it("waits for both the refund and the release after ShipmentRejected", () => {
    const rejected = [Events.PAYMENT_COMPLETED, Events.INVENTORY_RESERVED, Events.SHIPMENT_REJECTED];
    expect(choreographyOutcome(seen(...rejected))).toBeNull();
    expect(choreographyOutcome(seen(...rejected, Events.PAYMENT_REFUNDED))).toBeNull();
    expect(choreographyOutcome(seen(...rejected, Events.INVENTORY_RELEASED))).toBeNull();
    expect(choreographyOutcome(seen(...rejected, Events.INVENTORY_RELEASED, Events.PAYMENT_REFUNDED))).toBe("COMPENSATED");
  });

  it("is still running after the happy steps before shipping", () => {
    expect(choreographyOutcome(seen(Events.PAYMENT_COMPLETED, Events.INVENTORY_RESERVED))).toBeNull();
  });
});
