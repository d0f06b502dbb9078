import { Topics } from "../contracts/index.ts";
import { createServiceDb } from "./db.ts";
import { subscribe } from "../kit/messaging.ts";
import { createPgDb, PRISMA_TX_DEFAULTS } from "../kit/pg-tx.ts";
import { startOutboxRelay } from "../kit/outbox-relay.ts";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer, startHttpServer } from "../kit/trpc.ts";
import { env } from "./env.ts";
import { isChoreography, releaseForOrder, reserveForOrder } from "./jobs/choreography.job.ts";
import { createInventoryRouter } from "./router.ts";
import { seedProducts } from "./stock.ts";

export type { InventoryRouter } from "./router.ts";

const SERVICE = "inventory";
const connection = { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX };
const db = createServiceDb(env.DATABASE_URL);
// Reserving stock runs for every order: a plain pg transaction (services/kit/pg-tx.ts); the
// choreography handlers, releases and reads use the typed client.
const reserveDb = createPgDb(env.DATABASE_URL, { defaults: PRISMA_TX_DEFAULTS });
await seedProducts(db);
const relay = startOutboxRelay({ databaseUrl: env.DATABASE_URL, schema: "inventory", connection });
const workers = [
  subscribe({ topic: Topics.PAYMENT_EVENTS, subscriber: SERVICE, connection, db, schema: "inventory", accepts: isChoreography, handle: reserveForOrder }),
  subscribe({ topic: Topics.SHIPPING_EVENTS, subscriber: SERVICE, connection, db, schema: "inventory", accepts: isChoreography, handle: releaseForOrder }),
];
await Promise.all(workers.map((worker) => worker.waitUntilReady()));
const server = await startHttpServer({
  port: env.PORT,
  allowedHosts: env.ALLOWED_HOSTS,
  router: createInventoryRouter(db, reserveDb),
  isHealthy: async () => workers.every((w) => w.isRunning()) && (await db.$queryRaw`SELECT 1`, true),
});
onShutdown("http server", () => closeHttpServer(server));
onShutdown("workers", () => Promise.all(workers.map((worker) => worker.close())));
onShutdown("outbox relay", () => relay.stop());
onShutdown("database", () => Promise.all([db.$disconnect(), reserveDb.end()]));
