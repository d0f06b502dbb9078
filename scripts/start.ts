/**
 * `npm start`: checks Redis and PostgreSQL (starts its own when none answers: see
 * launcher/local-dependencies.ts), migrates, makes the dashboard's production build
 * current (builds it on the first start and when its sources changed), starts every Switchyard
 * process, prints the dashboard URL, and stops everything on Ctrl-C / SIGTERM or `npm stop` (see
 * launcher/run.ts). `npm run dev` (`--dev`) runs the dashboard with `next dev` instead, for
 * changing it.
 */
import { z } from "zod";
import { parseEnv } from "../services/kit/env.ts";
import { runLauncher } from "./launcher/run.ts";
import { stateDir } from "./launcher/launcher-record.ts";

/** Optional overrides for a PostgreSQL/Redis that is not at the default local address. */
const env = parseEnv(
  z.object({
    DATABASE_URL: z.url().optional(),
    REDIS_URL: z.url().optional(),
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).optional(),
  }),
);

const dev = process.argv.includes("--dev");
await runLauncher({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  redisPrefix: env.REDIS_PREFIX,
  dashboardMode: dev ? "dev" : "start",
  buildDashboard: !dev,
  // Nothing answers at DATABASE_URL / REDIS_URL: an embedded PostgreSQL / a redis-server, data in .switchyard/.
  localDependenciesDir: stateDir(),
});
