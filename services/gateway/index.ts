import http from "node:http";
import { Redis } from "ioredis";
import { onShutdown } from "../shared/shutdown.ts";
import { closeHttpServer } from "../kit/trpc.ts";
import { Authenticator } from "./auth/authenticate.ts";
import { indexApiKeyIds } from "./auth/keys.ts";
import { loadTokenSecret } from "./auth/tokens.ts";
import { env } from "./env.ts";
import { createGatewayListener } from "./http/server.ts";
import type { GatewayDeps } from "./routes/types.ts";
import { createUpstreams } from "./upstreams.ts";

// node:http rather than the kit's tRPC server: the gateway's API is plain versioned REST for
// outside clients (curl, the CLI, the dashboard), not tRPC.
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
const tokenSecret = await loadTokenSecret(redis, env.REDIS_PREFIX, env.GATEWAY_TOKEN_SECRET);
// Keys created before the id index existed: without this their tokens would read as revoked.
await indexApiKeyIds(redis, env.REDIS_PREFIX);
const deps: GatewayDeps = { env, redis, upstreams: createUpstreams(env), tokenSecret };
const server = http.createServer(createGatewayListener(deps, new Authenticator(redis, env.REDIS_PREFIX, tokenSecret)));
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve, reject) => {
  server.once("error", reject);
  server.listen(env.PORT, "127.0.0.1", () => resolve());
});
console.log(`listening on http://127.0.0.1:${env.PORT} (API under /v1 and /v2)`);
onShutdown("http server", () => closeHttpServer(server));
onShutdown("redis", () => redis.quit());
