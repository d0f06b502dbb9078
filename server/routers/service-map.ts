import { z } from "zod";
import { buildServiceGraph } from "../service-map/build-graph.ts";
import { readEdgeRows } from "../service-map/store.ts";
import { ServiceGraphSchema } from "../service-map/types.ts";
import { MapWindowSchema, windowBounds } from "../service-map/windows.ts";
import { publicProcedure, router } from "./trpc.ts";

/** The service map: reads only telemetry.edge_minutes (aggregated at ingest). */
export const serviceMapRouter = router({
  graph: publicProcedure
    .input(z.object({ window: MapWindowSchema.default("15m") }))
    .output(ServiceGraphSchema)
    .query(async ({ ctx, input }) => {
      const now = Date.now();
      const { fromMs, toMs } = windowBounds(input.window, now);
      const rows = await readEdgeRows(ctx.db, fromMs, toMs);
      // Rates over the time that has actually passed, not the unfinished rest of this minute.
      return buildServiceGraph(rows, fromMs, Math.min(toMs, now));
    }),
});
