import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../contracts/index.ts";
import type { Participants } from "./clients/participants.ts";
import { createPriceBook } from "./price-book.ts";

/** A catalog whose answers the test scripts: a list of products, or an outage. */
function catalog() {
  const state = { down: false, calls: 0 };
  const participants = {
    inventory: {
      inventory: {
        listProducts: {
          query: async () => {
            state.calls += 1;
            if (state.down) throw new AppError("UNAVAILABLE", "inventory is unreachable");
            return [{ id: "sku-a", name: "A", priceCents: 250, stock: 3 }];
          },
        },
      },
    },
  } as unknown as Participants;
  return { state, prices: createPriceBook(participants) };
}

afterEach(() => vi.useRealTimers());

describe("price book", () => {
  it("prices a known product from an old copy while inventory is down", async () => {
    vi.useFakeTimers();
    const { state, prices } = catalog();
    await prices.priceOf("sku-a");
    state.down = true;
    vi.advanceTimersByTime(120_000);
    await expect(prices.priceOf("sku-a")).resolves.toBe(250);
    expect(state.calls).toBe(2);
  });

  it("fails UNAVAILABLE for a product it never priced when inventory is down, and NOT_FOUND for an unknown one", async () => {
    const { state, prices } = catalog();
    state.down = true;
    await expect(prices.priceOf("sku-a")).rejects.toMatchObject({ code: "UNAVAILABLE" });
    state.down = false;
    await expect(prices.priceOf("sku-nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
