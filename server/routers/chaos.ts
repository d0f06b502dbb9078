import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { z } from "zod";
import {
  AppError,
  ChaosExperimentSchema,
  SERVICE_NAMES,
  StartExperimentInputSchema,
} from "../../services/contracts/index.ts";
import { ChaosStore } from "../../services/shared/chaos-store.ts";
import { getEnv } from "../env.ts";
import { publicProcedure, router } from "./trpc.ts";

const holder = globalThis as typeof globalThis & { switchyardChaosStore?: ChaosStore };

/** The process-wide chaos store (one Redis connection, kept across `next dev` reloads). */
export function getChaosStore(): ChaosStore {
  if (!holder.switchyardChaosStore) {
    const env = getEnv();
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
    redis.on("error", (error) => console.error("chaos store: Redis error:", error.message));
    holder.switchyardChaosStore = new ChaosStore(redis, env.REDIS_PREFIX);
  }
  return holder.switchyardChaosStore;
}

/** Runs a store call, turning its AppError NOT_FOUND into the tRPC code the browser shows. */
async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") throw new TRPCError({ code: "NOT_FOUND", message: error.message });
    throw error;
  }
}

const ExperimentIdSchema = z.object({ id: z.string().regex(/^exp-[0-9a-f]{8}$/, "a chaos experiment id looks like exp-1a2b3c4d") });

/**
 * Fault injection: list experiments, start one, stop one, reset all. Changes are mutations
 * (POST, checked for same-origin in the route handler); services pick them up live from Redis.
 */
export function createChaosRouter(store: () => ChaosStore) {
  return router({
    list: publicProcedure
      .output(z.object({ experiments: z.array(ChaosExperimentSchema), services: z.array(z.string()) }))
      .query(async () => ({ experiments: await store().list(), services: [...SERVICE_NAMES] })),
    start: publicProcedure
      .input(StartExperimentInputSchema)
      .output(ChaosExperimentSchema)
      .mutation(({ input }) => run(() => store().start(input))),
    stop: publicProcedure
      .input(ExperimentIdSchema)
      .output(ChaosExperimentSchema)
      .mutation(({ input }) => run(() => store().stop(input.id))),
    reset: publicProcedure
      .output(z.object({ ended: z.number().int() }))
      .mutation(async () => ({ ended: await store().reset() })),
  });
}

/** The dashboard's chaos API over the process-wide store. */
export const chaosRouter = createChaosRouter(getChaosStore);
