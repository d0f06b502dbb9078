import { describe, expect, it } from "vitest";
import { ORDER_STYLES } from "./flow.ts";
import { Subscriptions, SubscriptionFilters, subscribersOf, Topics, type Topic } from "./events.ts";

describe("subscription filters", () => {
  it("filter only subscribers of the topic, by known styles", () => {
    for (const [topic, filters] of Object.entries(SubscriptionFilters)) {
      for (const [subscriber, styles] of Object.entries(filters ?? {})) {
        expect(Subscriptions[topic as Topic]).toContain(subscriber);
        for (const style of styles) expect(ORDER_STYLES).toContain(style);
      }
    }
  });

  it("send a hybrid order's events only where they have an effect", () => {
    expect(subscribersOf(Topics.ORDER_EVENTS, "hybrid")).toEqual(["shipping", "notification", "analytics"]);
    expect(subscribersOf(Topics.SHIPPING_EVENTS, "hybrid")).toEqual(["order", "notification", "analytics"]);
  });

  it("keep every subscriber of a choreographed order's chain", () => {
    expect(subscribersOf(Topics.ORDER_EVENTS, "choreography")).toEqual(["payment", "notification", "analytics"]);
    expect(subscribersOf(Topics.PAYMENT_EVENTS, "choreography")).toEqual(Subscriptions[Topics.PAYMENT_EVENTS]);
    expect(subscribersOf(Topics.INVENTORY_EVENTS, "choreography")).toEqual(Subscriptions[Topics.INVENTORY_EVENTS]);
    expect(subscribersOf(Topics.SHIPPING_EVENTS, "choreography")).toEqual(Subscriptions[Topics.SHIPPING_EVENTS]);
  });
});
