import { deadLettersRouter } from "./dead-letters.ts";
import { queuesRouter } from "./queues.ts";
import { ordersRouter, productsRouter } from "./orders.ts";
import { tracesRouter } from "./traces.ts";
import { traceAnalysisRouter } from "./trace-analysis.ts";
import { flowsRouter } from "./flows.ts";
import { sagasRouter } from "./sagas.ts";
import { breakersRouter } from "./breakers.ts";
import { chaosRouter } from "./chaos.ts";
import { serviceMapRouter } from "./service-map.ts";
import { createServicesRouter } from "./services.ts";
import { createCollectorRouter } from "./collector.ts";
import { getEnv } from "../env.ts";
import { getInstanceDirectory } from "../instances/directory.ts";
import { createCallerFactory, router } from "./trpc.ts";

/** The dashboard's whole tRPC API, served at /api/trpc. */
export const appRouter = router({
  traces: tracesRouter,
  traceAnalysis: traceAnalysisRouter,
  flows: flowsRouter,
  sagas: sagasRouter,
  breakers: breakersRouter,
  chaos: chaosRouter,
  serviceMap: serviceMapRouter,
  services: createServicesRouter(getInstanceDirectory),
  collector: createCollectorRouter(() => getEnv().COLLECTOR_URL),
  orders: ordersRouter,
  deadLetters: deadLettersRouter,
  queues: queuesRouter,
  products: productsRouter,
});

/** Type of the dashboard API, for the browser client (import it with `import type`). */
export type AppRouter = typeof appRouter;

/** Server-side caller: `createCaller(ctx).traces.list({})`. */
export const createCaller = createCallerFactory(appRouter);
