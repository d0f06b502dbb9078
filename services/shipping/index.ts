import { Topics } from "../contracts/index.ts";
import { createServiceDb } from "./db.ts";
import { subscribe } from "../kit/messaging.ts";
import { createPgDb } from "../kit/pg-tx.ts";
import { startOutboxRelay } from "../kit/outbox-relay.ts";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer, startHttpServer } from "../kit/trpc.ts";
import { env } from "./env.ts";
import { isShippingTrigger, shipOrder } from "./jobs/ship-order.job.ts";
import { createShippingRouter } from "./router.ts";

export type { ShippingRouter } from "./router.ts";

const SERVICE = "shipping";
const connection = { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX };
const db = createServiceDb(env.DATABASE_URL);
// Booking a shipment for an event is two statements and the outbox row: a plain pg transaction
// (services/kit/pg-tx.ts); the RPCs and reads use the typed client.
const handlerDb = createPgDb(env.DATABASE_URL);
const relay = startOutboxRelay({ databaseUrl: env.DATABASE_URL, schema: "shipping", connection });
const workers = [Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS].map((topic) =>
  subscribe({ topic, subscriber: SERVICE, connection, db: handlerDb, schema: "shipping", accepts: isShippingTrigger, handle: shipOrder }),
);
await Promise.all(workers.map((worker) => worker.waitUntilReady()));
const server = await startHttpServer({
  port: env.PORT,
  allowedHosts: env.ALLOWED_HOSTS,
  router: createShippingRouter(db),
  isHealthy: async () => workers.every((w) => w.isRunning()) && (await db.$queryRaw`SELECT 1`, true),
});
onShutdown("http server", () => closeHttpServer(server));
onShutdown("workers", () => Promise.all(workers.map((worker) => worker.close())));
onShutdown("outbox relay", () => relay.stop());
onShutdown("database", () => Promise.all([db.$disconnect(), handlerDb.end()]));
