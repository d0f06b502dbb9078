import { Topics } from "../contracts/index.ts";
import { HANDLER_STATEMENT_TIMEOUT_MS, subscribeEffect } from "../kit/messaging.ts";
import { createPgDb } from "../kit/pg-tx.ts";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer, startHttpServer } from "../kit/trpc.ts";
import { env } from "./env.ts";
import { storeNotification } from "./jobs/notify.job.ts";

const connection = { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX };
// Storing a notification is one statement together with the processed-message ledger, on a
// plain pg pool (services/kit/guarded-effect.ts); this service reads nothing through the typed client.
const db = createPgDb(env.DATABASE_URL, { statementTimeoutMs: HANDLER_STATEMENT_TIMEOUT_MS });
const workers = [Topics.ORDER_EVENTS, Topics.SHIPPING_EVENTS].map((topic) =>
  subscribeEffect({ topic, subscriber: "notification", connection, db, schema: "notification", effect: storeNotification }),
);
await Promise.all(workers.map((worker) => worker.waitUntilReady()));
const server = await startHttpServer({
  port: env.PORT,
  allowedHosts: env.ALLOWED_HOSTS,
  isHealthy: async () => workers.every((w) => w.isRunning()) && (await db.$queryRawUnsafe("SELECT 1"), true),
});
onShutdown("http server", () => closeHttpServer(server));
onShutdown("workers", () => Promise.all(workers.map((worker) => worker.close())));
onShutdown("database", () => db.end());
