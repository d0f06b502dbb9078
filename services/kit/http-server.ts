import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AnyRouter } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { TRPC_BASE_PATH } from "./trpc-paths.ts";

/** Options of a service's HTTP server. */
export type HttpServerOptions = {
  port: number;
  host?: string;
  /** Mounted at `/trpc`; omit for processes that only answer `/health` (workers). */
  router?: AnyRouter;
  /** Extra readiness check for `/health` (e.g. the DB answers); healthy when omitted. */
  isHealthy?: () => Promise<boolean>;
};

/** Answers `GET /health` with 200 `{ok:true}` or 503, for the launcher and load balancers. */
async function answerHealth(res: http.ServerResponse, isHealthy?: () => Promise<boolean>): Promise<void> {
  const ok = isHealthy ? await isHealthy().catch(() => false) : true;
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok }));
}

/**
 * Starts an HTTP server on 127.0.0.1 serving tRPC under `/trpc` and `GET /health`, and resolves
 * once it listens (rejects if the port is taken, so the process fails fast).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<http.Server> {
  const trpcHandler = options.router
    ? createHTTPHandler({ router: options.router, basePath: `${TRPC_BASE_PATH}/` })
    : undefined;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health" && req.method === "GET") return void answerHealth(res, options.isHealthy);
    if (trpcHandler && path?.startsWith(`${TRPC_BASE_PATH}/`)) return void trpcHandler(req, res);
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
  });
  // Longer than typical client idle timeouts so reused keep-alive sockets are not reset under us.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://${options.host ?? "127.0.0.1"}:${port}`);
  return server;
}

/** Stops accepting connections, drops idle keep-alive sockets, and resolves when in-flight requests end. */
export function closeHttpServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
