import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AnyRouter } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { allowedHostList, isHostAllowed, MISDIRECTED_STATUS, misdirectedMessage } from "../shared/host-allow-list.ts";
import { MAX_TRPC_BATCH_SIZE, TRPC_BASE_PATH } from "../shared/trpc-paths.ts";
import { createTrpcMutationFastPath } from "./trpc-fast-path.ts";

/** Options of a service's HTTP server. */
export type HttpServerOptions = {
  port: number;
  host?: string;
  /** Mounted at `/trpc`; omit for processes that only answer `/health` (workers). */
  router?: AnyRouter;
  /** Extra readiness check for `/health` (e.g. the DB answers); healthy when omitted. */
  isHealthy?: () => Promise<boolean>;
  /** Host names answered besides loopback and `host` (env `ALLOWED_HOSTS`); see services/shared/host-allow-list.ts. */
  allowedHosts?: readonly string[];
};

/**
 * Answers 421 in the services' error shape and returns true when the request's Host is not on
 * `allowedHosts`: a DNS-rebound name reaches a loopback port but must get nothing from it.
 * Call first, before any routing.
 */
export function refuseMisdirected(req: http.IncomingMessage, res: http.ServerResponse, allowedHosts: readonly string[]): boolean {
  if (isHostAllowed(req.headers.host, allowedHosts)) return false;
  const body = JSON.stringify({ error: { code: "MISDIRECTED_REQUEST", message: misdirectedMessage(req.headers.host) } });
  res.writeHead(MISDIRECTED_STATUS, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" });
  res.end(body);
  // Whatever the client still sends is not read.
  if (!req.complete) req.resume();
  return true;
}

/** Answers `GET /health` with 200 `{ok:true}` or 503, for the launcher and load balancers. */
async function answerHealth(res: http.ServerResponse, isHealthy?: () => Promise<boolean>): Promise<void> {
  const ok = isHealthy ? await isHealthy().catch(() => false) : true;
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok }));
}

/**
 * Starts an HTTP server on 127.0.0.1 serving tRPC under `/trpc` and `GET /health`, and resolves
 * once it listens (rejects if the port is taken, so the process fails fast). Requests for a Host
 * not on the allow-list get 421; batches over MAX_TRPC_BATCH_SIZE calls get 400.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<http.Server> {
  const trpcHandler = options.router
    ? createHTTPHandler({ router: options.router, basePath: `${TRPC_BASE_PATH}/`, maxBatchSize: MAX_TRPC_BATCH_SIZE })
    : undefined;
  const fastPath = options.router ? createTrpcMutationFastPath(options.router) : undefined;
  const allowedHosts = allowedHostList(options.allowedHosts, options.host);
  const server = http.createServer((req, res) => {
    if (refuseMisdirected(req, res, allowedHosts)) return;
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health" && req.method === "GET") return void answerHealth(res, options.isHealthy);
    if (trpcHandler && path?.startsWith(`${TRPC_BASE_PATH}/`)) return void (fastPath!(req, res, path) || trpcHandler(req, res));
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
