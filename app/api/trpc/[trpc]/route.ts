import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "../../../../server/routers/app-router.ts";
import { getDashboardContext } from "../../../../server/routers/context.ts";
import { crossSiteRefusal, isCrossSiteWrite } from "../../../../server/routers/same-origin.ts";
import { MAX_TRPC_BATCH_SIZE } from "../../../../services/shared/trpc-paths.ts";

/** Every request reads live data; nothing here can be cached at build time. */
export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  // State-changing calls (chaos, replay) are POSTs; refuse them from other sites (CSRF).
  if (isCrossSiteWrite(req)) return crossSiteRefusal();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => getDashboardContext(),
    // One request must not fan out into hundreds of queries (400 above this); the dashboard's own
    // client batches at most this many (app/lib/trpc-links.ts).
    maxBatchSize: MAX_TRPC_BATCH_SIZE,
    // No onError logging here: the error formatter logs internal errors with the ref it answers.
  });
}

export { handler as GET, handler as POST };
