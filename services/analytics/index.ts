import { Subscriptions, Topics } from "../contracts/index.ts";
import { createServiceDb } from "./db.ts";
import { HANDLER_STATEMENT_TIMEOUT_MS, subscribeEffect } from "../kit/messaging.ts";
import { createPgDb } from "../kit/pg-tx.ts";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer, startHttpServer } from "../kit/trpc.ts";
import { env } from "./env.ts";
import { countEvent } from "./jobs/count-event.job.ts";
import { createAnalyticsRouter } from "./router.ts";

export type { AnalyticsRouter } from "./router.ts";

const SERVICE = "analytics";
const connection = { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX };
const db = createServiceDb(env.DATABASE_URL);
// Handling an event is one statement together with the processed-message ledger, on a plain pg
// pool (services/kit/guarded-effect.ts); the router's reads use the typed client.
const handlerDb = createPgDb(env.DATABASE_URL, { statementTimeoutMs: HANDLER_STATEMENT_TIMEOUT_MS });
// Every topic that lists analytics as a subscriber (today: all of them).
const topics = Object.values(Topics).filter((topic) => Subscriptions[topic].includes(SERVICE));
const workers = topics.map((topic) => subscribeEffect({ topic, subscriber: SERVICE, connection, db: handlerDb, schema: "analytics", effect: countEvent }));
await Promise.all(workers.map((worker) => worker.waitUntilReady()));
const server = await startHttpServer({
  port: env.PORT,
  allowedHosts: env.ALLOWED_HOSTS,
  router: createAnalyticsRouter(db),
  isHealthy: async () => workers.every((w) => w.isRunning()) && (await db.$queryRaw`SELECT 1`, true),
});
onShutdown("http server", () => closeHttpServer(server));
onShutdown("workers", () => Promise.all(workers.map((worker) => worker.close())));
onShutdown("database", () => Promise.all([db.$disconnect(), handlerDb.end()]));
