import { Queues, Topics } from "../contracts/index.ts";
import { createServiceDb } from "./db.ts";
import { createCommandWorker, createJobSender, subscribe } from "../kit/messaging.ts";
import { createPgDb, PRISMA_TX_DEFAULTS } from "../kit/pg-tx.ts";
import { startOutboxRelay } from "../kit/outbox-relay.ts";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer, startHttpServer } from "../kit/trpc.ts";
import { env } from "./env.ts";
import { chargeForOrder, isChoreography, refundForOrder } from "./jobs/choreography.job.ts";
import { createCreditCheckProcessor } from "./jobs/credit-check.job.ts";
import { createPaymentRouter } from "./router.ts";

export type { PaymentRouter } from "./router.ts";

const SERVICE = "payment";
const connection = { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX };
const db = createServiceDb(env.DATABASE_URL);
// Charging runs for every order: a plain pg transaction (services/kit/pg-tx.ts); the
// choreography handlers, refunds and reads use the typed client.
const chargeDb = createPgDb(env.DATABASE_URL, { defaults: PRISMA_TX_DEFAULTS });
const replies = createJobSender(connection);
const relay = startOutboxRelay({ databaseUrl: env.DATABASE_URL, schema: "payment", connection });
const workers = [
  createCommandWorker(Queues.CREDIT_CHECK_REQUESTS, connection, createCreditCheckProcessor(replies)),
  subscribe({ topic: Topics.ORDER_EVENTS, subscriber: SERVICE, connection, db, schema: "payment", accepts: isChoreography, handle: chargeForOrder }),
  subscribe({ topic: Topics.INVENTORY_EVENTS, subscriber: SERVICE, connection, db, schema: "payment", accepts: isChoreography, handle: refundForOrder }),
  subscribe({ topic: Topics.SHIPPING_EVENTS, subscriber: SERVICE, connection, db, schema: "payment", accepts: isChoreography, handle: refundForOrder }),
];
await Promise.all(workers.map((worker) => worker.waitUntilReady()));
const server = await startHttpServer({
  port: env.PORT,
  allowedHosts: env.ALLOWED_HOSTS,
  router: createPaymentRouter(db, chargeDb),
  isHealthy: async () => workers.every((w) => w.isRunning()) && (await db.$queryRaw`SELECT 1`, true),
});
onShutdown("http server", () => closeHttpServer(server));
onShutdown("workers", () => Promise.all(workers.map((worker) => worker.close())));
onShutdown("outbox relay", () => relay.stop());
onShutdown("reply sender", () => replies.close());
onShutdown("database", () => Promise.all([db.$disconnect(), chargeDb.end()]));
