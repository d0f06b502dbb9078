import { Attr, GatewayHeaders, ListProductsOutputSchema } from "../../contracts/index.ts";
import { toAppError } from "../../kit/rpc-client.ts";
import { cachedRead, cacheKey } from "../cache.ts";
import { v2Products } from "./shapes.ts";
import type { Route } from "./types.ts";

/** `GET /vN/products`: the catalogue, served from the Redis cache for GATEWAY_CACHE_TTL_MS. */
export const listProductsRoute: Route = {
  method: "GET",
  path: "/products",
  upstreams: ["inventory"],
  async handle({ version, span, deps }) {
    const { value, outcome } = await cachedRead(deps.redis, cacheKey(deps.env.REDIS_PREFIX, "products"), deps.env.GATEWAY_CACHE_TTL_MS, () =>
      deps.upstreams.inventory.inventory.listProducts.query().catch((e: unknown) => {
        throw toAppError(e, "inventory service");
      }),
    );
    span?.setAttribute(Attr.GATEWAY_CACHE, outcome);
    // Validated again: a cache entry is input like any other.
    const products = ListProductsOutputSchema.parse(value);
    return {
      status: 200,
      body: version === "v1" ? products : v2Products(products),
      headers: { [GatewayHeaders.CACHE]: outcome.toUpperCase() },
    };
  },
};
