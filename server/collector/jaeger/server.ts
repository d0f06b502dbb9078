/**
 * The Jaeger query API's own listener inside the collector process (default 127.0.0.1:16686,
 * Jaeger query's port; see env.ts `jaegerQueryPortOf`). Its own port because the collector's
 * `GET /api/traces/:id` already answers Switchyard's format, and Grafana's and Jaeger UI's
 * clients expect Jaeger's at the root. Read-only; the same Host guard as the collector.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createJaegerRequestListener, type JaegerRouteDeps } from "./routes.ts";

/** A Jaeger query listener, started by `listen`. */
export type JaegerQueryServer = {
  server: Server;
  /** Binds host:port (0 = random) and resolves with the bound port. */
  listen: (host: string, port: number) => Promise<number>;
  /** The bound port, or null when not listening. */
  port: () => number | null;
  /** Stops accepting; open keep-alive sockets are dropped after `graceMs`. */
  close: (graceMs: number) => Promise<void>;
};

/** Builds (does not start) the Jaeger query listener. */
export function createJaegerQueryServer(deps: JaegerRouteDeps): JaegerQueryServer {
  const server = createServer(createJaegerRequestListener(deps));
  let bound: number | null = null;
  const listen = (host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        bound = (server.address() as AddressInfo).port;
        resolve(bound);
      });
    });
  const close = (graceMs: number) =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), graceMs).unref();
      bound = null;
    });
  return { server, listen, port: () => bound, close };
}
