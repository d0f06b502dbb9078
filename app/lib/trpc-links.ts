import { httpBatchLink, type TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { MAX_TRPC_BATCH_SIZE } from "../../services/shared/trpc-paths.ts";

/**
 * The dashboard's links to its API: batched, with never more calls in one request than the route
 * handler accepts (MAX_TRPC_BATCH_SIZE), so a busy page is split into several requests, not refused.
 * `fetchImpl` is for tests.
 */
export function dashboardLinks<TRouter extends AnyRouter>(url = "/api/trpc", fetchImpl?: typeof fetch): TRPCLink<TRouter>[] {
  // Built for AnyRouter as in services/kit/rpc-client.ts: no transformer, the same link for any router.
  const link = httpBatchLink<AnyRouter>({ url, maxItems: MAX_TRPC_BATCH_SIZE, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return [link as TRPCLink<TRouter>];
}
