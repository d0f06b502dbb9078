import { createDb } from "../db.ts";
import { getEnv } from "../env.ts";
import { createInventoryApi, createOrderApi } from "./service-clients.ts";
import type { DashboardContext } from "./trpc.ts";

// Kept on globalThis so `next dev` hot reloads reuse one connection pool instead of leaking one
// per edit; in production the module is evaluated once anyway.
const holder = globalThis as typeof globalThis & { switchyardDashboardContext?: DashboardContext };

/** The process-wide context: one Prisma pool and one client per service, created on first use. */
export function getDashboardContext(): DashboardContext {
  if (!holder.switchyardDashboardContext) {
    const env = getEnv();
    holder.switchyardDashboardContext = {
      db: createDb(env.DATABASE_URL),
      order: createOrderApi(env.ORDER_URL),
      inventory: createInventoryApi(env.INVENTORY_URL),
    };
  }
  return holder.switchyardDashboardContext;
}
