import { z } from "zod";
import { buildServiceGraph } from "../service-map/build-graph.ts";
import { readEdgeRows, readInstanceRequests } from "../service-map/store.ts";
import { ServiceGraphSchema } from "../service-map/types.ts";
import { MapWindowSchema, windowBounds } from "../service-map/windows.ts";
import { publicProcedure, router } from "./trpc.ts";

/** The service map: reads only the aggregates of ingest (telemetry.edge_minutes, instance_minutes). */
export const serviceMapRouter = router({
  graph: publicProcedure
    .input(z.object({
      window: MapWindowSchema.default("15m"),
      /** Include the dashboard's own traffic (hidden by default). */
      showOwn: z.boolean().default(false),
      /** Topic node ids drawn as their separate queues (`queue:order-events`). */
      expand: z.array(z.string().max(300)).max(50).default([]),
    }))
    .output(ServiceGraphSchema)
    .query(async ({ ctx, input }) => {
      const now = Date.now();
      const { fromMs, toMs } = windowBounds(input.window, now);
      const [rows, instances] = await Promise.all([readEdgeRows(ctx.db, fromMs, toMs), readInstanceRequests(ctx.db, fromMs, toMs)]);
      // Rates over the time that has actually passed, not the unfinished rest of this minute.
      return buildServiceGraph(rows, fromMs, Math.min(toMs, now), { showOwn: input.showOwn, expand: input.expand, instances });
    }),
});
