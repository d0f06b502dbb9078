import { describe, expect, it } from "vitest";
import { isTerminalOrderStatus, OrderStatusSchema, v1OrderStatus } from "./order.ts";

describe("order status model", () => {
  it("knows which statuses are final: PENDING and CONFIRMED are not", () => {
    expect(OrderStatusSchema.options.filter(isTerminalOrderStatus)).toEqual(["COMPLETED", "REJECTED", "COMPENSATED"]);
  });

  it("shows v1 clients CONFIRMED as PENDING (not final yet, poll) and every other status as it is", () => {
    expect(OrderStatusSchema.options.map(v1OrderStatus)).toEqual(["PENDING", "PENDING", "COMPLETED", "REJECTED", "COMPENSATED"]);
  });
});
