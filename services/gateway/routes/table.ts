import { getOrderRoute, listOrdersRoute, placeOrderRoute } from "./orders.ts";
import { listProductsRoute } from "./products.ts";
import { cancelSagaRoute, retrySagaRoute } from "./sagas.ts";
import { orderSummaryRoute } from "./summary.ts";
import { issueTokenRoute } from "./tokens.ts";
import type { Route } from "./types.ts";

/** Every route of the public API; each exists under /v1 and /v2 (the handler shapes the answer). */
export const ROUTES: readonly Route[] = [
  placeOrderRoute,
  listOrdersRoute,
  getOrderRoute,
  orderSummaryRoute,
  cancelSagaRoute,
  retrySagaRoute,
  listProductsRoute,
  issueTokenRoute,
];

/** A compiled route: its path as a regex with named groups. */
type Compiled = { route: Route; regex: RegExp };

const compiled: Compiled[] = ROUTES.map((route) => ({
  route,
  regex: new RegExp(`^${route.path.replace(/:([a-z]+)/gi, "(?<$1>[^/]+)")}$`),
}));

/**
 * Finds the route for `method` and `path` (after the version). Eight routes do not need a router
 * library; a linear scan of regexes is clearer than one. `allowed` lists the methods the path has
 * (for 405) when the method does not match.
 */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | { route: null; allowed: string[] } {
  const allowed: string[] = [];
  for (const { route, regex } of compiled) {
    const match = regex.exec(path);
    if (!match) continue;
    if (route.method === method) return { route, params: { ...match.groups } };
    allowed.push(route.method);
  }
  return { route: null, allowed };
}
