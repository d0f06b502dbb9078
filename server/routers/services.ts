import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { InstanceControlSchema, type InstanceStatus, type LauncherInstance } from "../../services/contracts/discovery.ts";
import { buildServiceInstances } from "../instances/build-rows.ts";
import type { InstanceDirectory } from "../instances/directory.ts";
import { pageServices, ServicesPageInputSchema } from "../instances/page-services.ts";
import { ServiceInstancesSchema } from "../instances/types.ts";
import { readInstanceRequests } from "../service-map/store.ts";
import { MapWindowSchema, windowBounds } from "../service-map/windows.ts";
import { publicProcedure, router } from "./trpc.ts";

/**
 * The services page: instances from the discovery registry and the launcher, requests served per
 * instance from telemetry.instance_minutes, filtered by name and paged (any OTLP sender adds a
 * service: a thousand must not make one endless page); stop/start go to the launcher (a POST mutation).
 */
export function createServicesRouter(directory: () => InstanceDirectory) {
  return router({
    instances: publicProcedure
      .input(ServicesPageInputSchema.extend({ window: MapWindowSchema.default("15m") }))
      .output(z.object({
        services: z.array(ServiceInstancesSchema),
        registryError: z.string().nullable(),
        page: z.number().int(),
        pages: z.number().int(),
        pageSize: z.number().int(),
        /** Services matching the search; `all`: before it. */
        total: z.number().int(),
        all: z.number().int(),
      }))
      .query(async ({ ctx, input }) => {
        const { fromMs, toMs } = windowBounds(input.window, Date.now());
        const requests = await readInstanceRequests(ctx.db, fromMs, toMs);
        // Redis down must not hide what the spans say: show the counts and the error.
        let registry: InstanceStatus[] = [];
        let launcher: LauncherInstance[] = [];
        let stopRequests: string[] = [];
        let registryError: string | null = null;
        try {
          [registry, launcher, stopRequests] = await Promise.all([directory().listRegistered(), directory().listLaunched(), directory().listStopRequests()]);
        } catch (error) {
          registryError = `Could not read the registry: ${error instanceof Error ? error.message : String(error)}`;
        }
        const all = buildServiceInstances({ registry, launcher, requests, stopRequests });
        return { ...pageServices(all, input), registryError };
      }),

    control: publicProcedure
      .input(InstanceControlSchema)
      .output(z.object({ accepted: z.boolean() }))
      .mutation(async ({ input }) => {
        const launched = await directory().listLaunched();
        if (!launched.some((l) => l.instanceId === input.instanceId)) {
          throw new TRPCError({ code: "NOT_FOUND", message: `The launcher runs no instance ${input.instanceId}` });
        }
        const listeners = await directory().requestControl(input);
        if (listeners === 0) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "No launcher is listening; start the system with npm start" });
        return { accepted: true };
      }),
  });
}
