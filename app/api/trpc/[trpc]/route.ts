import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "../../../../server/routers/app-router.ts";
import { getDashboardContext } from "../../../../server/routers/context.ts";
import { crossSiteRefusal, isCrossSiteWrite } from "../../../../server/routers/same-origin.ts";

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
    onError: ({ path, error }) => {
      // Client mistakes are the caller's business; server faults belong in the log.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error);
    },
  });
}

export { handler as GET, handler as POST };
