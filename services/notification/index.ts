import { Topics } from "../contracts/index.ts";
import { subscribe } from "../kit/messaging.ts";
import { createPgDb } from "../kit/pg-tx.ts";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer, startHttpServer } from "../kit/trpc.ts";
import { env } from "./env.ts";
import { storeNotification } from "./jobs/notify.job.ts";

const connection = { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX };
// Storing a notification is one statement plus the processed-message ledger: a plain pg
// transaction (services/kit/pg-tx.ts); this service reads nothing through the typed client.
const db = createPgDb(env.DATABASE_URL);
const workers = [Topics.ORDER_EVENTS, Topics.SHIPPING_EVENTS].map((topic) =>
  subscribe({ topic, subscriber: "notification", connection, db, schema: "notification", handle: storeNotification }),
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
