import { createServiceDb } from "./db.ts";
import { discoveryEnv } from "../kit/discovery/env.ts";
import { processInstanceId } from "../kit/discovery/identity.ts";
import { createPgDb, PRISMA_TX_DEFAULTS } from "../kit/pg-tx.ts";
import { startOutboxRelay } from "../kit/outbox-relay.ts";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer, startHttpServer } from "../kit/trpc.ts";
import { env } from "./env.ts";
import { startCreditChecker } from "./messaging/credit-check.ts";
import { subscribeToFlowEvents } from "./messaging/flow-events.ts";
import { createParticipants } from "./clients/participants.ts";
import { createPriceBook } from "./price-book.ts";
import { createOrderRouter } from "./router.ts";
import { startRecoverySweeper } from "./recovery/sweeper.ts";
import { createSagaOrchestrator } from "./saga/orchestrator.ts";
import type { OrderDeps } from "./deps.ts";

export type { OrderRouter } from "./router.ts";

const log = (message: string) => console.error(message);
const connection = { redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX };
const db = createServiceDb(env.DATABASE_URL);
// Every order's own writes (insert, confirm + outbox, flow events) run on a plain pg pool
// (services/kit/pg-tx.ts); sagas, the sweeper and reads use the typed client.
const sql = createPgDb(env.DATABASE_URL, { defaults: PRISMA_TX_DEFAULTS });
const participants = createParticipants({ inventory: env.INVENTORY_URL, payment: env.PAYMENT_URL, shipping: env.SHIPPING_URL });
const credit = startCreditChecker({
  connection,
  // The launcher's stable instance id (`order-1`): a restarted instance drains (and logs) late
  // replies meant for its predecessor. A random id (no launcher) is never reused: drop its queue.
  instanceId: processInstanceId("order"),
  timeoutMs: env.CREDIT_CHECK_TIMEOUT_MS,
  removeQueueOnClose: discoveryEnv().SERVICE_INSTANCE_ID === undefined,
  log,
});
const sagas = createSagaOrchestrator({
  db,
  deps: { participants, credit },
  stepDelayMs: env.SAGA_STEP_DELAY_MS,
  retry: { giveUpAfterMs: env.ORDER_GIVE_UP_AFTER_MS, initialDelayMs: 200, maxDelayMs: env.SAGA_RETRY_MAX_DELAY_MS },
  log,
});
const relay = startOutboxRelay({ databaseUrl: env.DATABASE_URL, schema: "orders", connection, log });
const prices = createPriceBook(participants);
const deps: OrderDeps = {
  db,
  sql,
  participants,
  prices,
  credit,
  sagas,
  recovery: {
    intervalMs: env.ORDER_RECOVERY_INTERVAL_MS,
    staleAfterMs: env.ORDER_STALE_AFTER_MS,
    giveUpAfterMs: env.ORDER_GIVE_UP_AFTER_MS,
    maxBackoffMs: env.ORDER_RECOVERY_MAX_BACKOFF_MS,
  },
};
const subscribers = subscribeToFlowEvents({ db: sql, connection, participants, log });
await Promise.all(subscribers.map((worker) => worker.waitUntilReady()));

const server = await startHttpServer({
  port: env.PORT,
  allowedHosts: env.ALLOWED_HOSTS,
  router: createOrderRouter(deps),
  isHealthy: async () => subscribers.every((w) => w.isRunning()) && (await db.$queryRaw`SELECT 1`, true),
});
// Shutdown order: no new requests, then let sagas reach a checkpoint (they need the credit
// checker and the database), then the consumers, the relay and the connections.
onShutdown("http server", () => closeHttpServer(server));
onShutdown("saga orchestrator", () => sagas.stop());
onShutdown("recovery sweeper", () => sweeper.stop());
onShutdown("flow-event subscribers", () => Promise.all(subscribers.map((worker) => worker.close())));
onShutdown("credit checker", () => credit.close());
onShutdown("outbox relay", () => relay.stop());
onShutdown("database", () => Promise.all([db.$disconnect(), sql.end()]));

// After a crash or restart: finish every saga a previous run left unfinished; from then on the
// sweeper finishes every order (and saga) whose flow stopped or handed it over.
await sagas.resumeUnfinished();
const sweeper = startRecoverySweeper(deps, sagas, log);
