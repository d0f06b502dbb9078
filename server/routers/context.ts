import { createDb } from "../db.ts";
import { getEnv } from "../env.ts";
import { readLocalApiKey } from "../gateway/client.ts";
import { createGatewayOrderApi, createInventoryApi } from "./service-clients.ts";
import type { DashboardContext } from "./trpc.ts";

// Kept on globalThis so `next dev` hot reloads reuse one connection pool instead of leaking one
// per edit; in production the module is evaluated once anyway.
const holder = globalThis as typeof globalThis & { switchyardDashboardContext?: DashboardContext };

/** The process-wide context: one Prisma pool and the gateway and inventory clients, created on first use. */
export function getDashboardContext(): DashboardContext {
  if (!holder.switchyardDashboardContext) {
    const env = getEnv();
    holder.switchyardDashboardContext = {
      db: createDb(env.DATABASE_URL, { statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS }),
      order: createGatewayOrderApi({
        baseUrl: env.GATEWAY_URL,
        // Without GATEWAY_API_KEY (a dashboard started by hand), the key `npm start` saved.
        apiKey: async () => env.GATEWAY_API_KEY ?? (await readLocalApiKey(process.cwd(), env.REDIS_PREFIX)),
      }),
      inventory: createInventoryApi(env.INVENTORY_URL),
    };
  }
  return holder.switchyardDashboardContext;
}
