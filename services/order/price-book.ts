import { trace } from "@opentelemetry/api";
import { AppError, Attr } from "../contracts/index.ts";
import { toAppError } from "../kit/rpc-client.ts";
import type { Participants } from "./clients/participants.ts";

/** How long fetched prices are trusted before the catalog is asked again. */
const PRICE_TTL_MS = 30_000;
/** An unknown product refreshes the copy at most this often (it cannot be used to flood inventory). */
const MISS_REFRESH_MS = 1000;

export type PriceBook = {
  /** The unit price of `productId` in cents; NOT_FOUND for a product the catalog does not list. */
  priceOf(productId: string): Promise<number>;
};

/**
 * Prices are inventory's reference data. Every style needs the amount before its first step (in
 * choreography payment goes first), so the order service keeps a read-through copy of the catalog
 * (`inventory.listProducts`) for PRICE_TTL_MS instead of asking on every order: one hop fewer per
 * order, and a price change shows within the TTL. An unknown product refreshes the copy once.
 * When inventory cannot be asked, an older copy still prices known products (stale beats
 * refusing every order while inventory is down: the order then waits for inventory like any
 * other step); only a product never priced fails, with UNAVAILABLE, and nothing is written.
 */
export function createPriceBook(participants: Participants): PriceBook {
  let prices = new Map<string, number>();
  let fetchedAt = 0;
  let inFlight: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    inFlight ??= participants.inventory.inventory.listProducts
      .query()
      .then((products) => {
        prices = new Map(products.map((p) => [p.id, p.priceCents]));
        fetchedAt = Date.now();
      })
      .catch((error: unknown) => {
        throw toAppError(error, "inventory.listProducts");
      })
      .finally(() => (inFlight = null));
    return inFlight;
  };
  return {
    async priceOf(productId) {
      const age = Date.now() - fetchedAt;
      if (age > PRICE_TTL_MS || (!prices.has(productId) && age > MISS_REFRESH_MS)) {
        const failure = await refresh().then(() => null, (error: unknown) => error);
        if (failure) {
          if (!prices.has(productId)) throw failure;
          trace.getActiveSpan()?.addEvent("price_book.stale", { [Attr.PRODUCT_ID]: productId, [Attr.PRICE_BOOK_AGE_MS]: age });
        }
      }
      const price = prices.get(productId);
      if (price === undefined) throw new AppError("NOT_FOUND", `unknown product ${productId}`);
      return price;
    },
  };
}
