import { trace } from "@opentelemetry/api";
import {
  Attr,
  ListProductsOutputSchema,
  ReleaseStockInputSchema,
  ReleaseStockOutputSchema,
  ReserveStockInputSchema,
  ReserveStockOutputSchema,
} from "../contracts/index.ts";
import type { Db } from "./db.ts";
import { initServiceTrpc } from "../kit/trpc.ts";
import { listProducts, releaseStock, reserveStock, type StockTxDb } from "./stock.ts";

const { router, procedure } = initServiceTrpc();

/**
 * Inventory's tRPC router: `inventory.listProducts`, `inventory.reserveStock`, `inventory.releaseStock`.
 * `reserveDb` runs the reservation (on the hot path of every order: a plain `pg` pool in the
 * service, see services/kit/pg-tx.ts); the typed client does the rest.
 */
export function createInventoryRouter(db: Db, reserveDb: StockTxDb = db) {
  return router({
    inventory: router({
      listProducts: procedure.output(ListProductsOutputSchema).query(() => listProducts(db)),
      reserveStock: procedure
        .input(ReserveStockInputSchema)
        .output(ReserveStockOutputSchema)
        .mutation(async ({ input }) => {
          const span = trace.getActiveSpan();
          span?.setAttributes({
            [Attr.ORDER_ID]: input.orderId,
            [Attr.PRODUCT_ID]: input.productId,
            [Attr.QUANTITY]: input.quantity,
          });
          const result = await reserveStock(reserveDb, input);
          span?.setAttributes({ [Attr.STOCK_RESERVED]: result.reserved, [Attr.STOCK_REMAINING]: result.remaining });
          return result;
        }),
      releaseStock: procedure
        .input(ReleaseStockInputSchema)
        .output(ReleaseStockOutputSchema)
        .mutation(async ({ input }) => {
          const span = trace.getActiveSpan();
          span?.setAttributes({ [Attr.ORDER_ID]: input.orderId, [Attr.ORDER_REASON]: input.reason });
          const result = await releaseStock(db, input);
          if (result.remaining !== null) span?.setAttribute(Attr.STOCK_REMAINING, result.remaining);
          return result;
        }),
    }),
  });
}

/** The router's type, for typed clients (order service, dashboard). */
export type InventoryRouter = ReturnType<typeof createInventoryRouter>;
