/**
 * Forwarding as the collector wires it: null when SWITCHYARD_FORWARD_OTLP_URL is unset, else
 * `accept` (called after an export was stored and answered), `status` and `close`.
 */
import type { ForwardEnv } from "./env.ts";
import { Forwarder, type ForwardingStatus } from "./forwarder.ts";
import { forwardItemOf, type AcceptedExport } from "./payload.ts";

export type { AcceptedExport } from "./payload.ts";
export type { ForwardingStatus } from "./forwarder.ts";

/** The collector's handle on forwarding. */
export type Forwarding = {
  /** Queues what was stored of one export; returns at once and never throws. */
  accept: (accepted: AcceptedExport) => void;
  status: () => ForwardingStatus;
  /** Sends what is buffered for up to SWITCHYARD_FORWARD_DRAIN_MS, then drops (and counts) the rest. */
  close: () => Promise<void>;
};

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "0.0.0.0"]);

/** Whether `url` is this collector itself: every span would come back and go out again, forever. */
export function isOwnEndpoint(url: string, own: { HOST: string; PORT: number }): boolean {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  return port === own.PORT && (LOOPBACK.has(target.hostname) || target.hostname === own.HOST);
}

/** Builds forwarding from the collector's env, or null when it is off (or would loop back to itself). */
export function createForwarding(env: ForwardEnv & { HOST: string; PORT: number }, logError: (message: string, err?: unknown) => void): Forwarding | null {
  if (!env.SWITCHYARD_FORWARD_OTLP_URL) return null;
  if (isOwnEndpoint(env.SWITCHYARD_FORWARD_OTLP_URL, env)) {
    logError(`forwarding off: SWITCHYARD_FORWARD_OTLP_URL ${env.SWITCHYARD_FORWARD_OTLP_URL} is this collector itself`);
    return null;
  }
  const forwarder = new Forwarder({
    url: env.SWITCHYARD_FORWARD_OTLP_URL,
    headers: env.SWITCHYARD_FORWARD_OTLP_HEADERS,
    maxSpans: env.SWITCHYARD_FORWARD_BUFFER_SPANS,
    maxBytes: env.SWITCHYARD_FORWARD_BUFFER_BYTES,
    retryMinMs: env.SWITCHYARD_FORWARD_RETRY_MIN_MS,
    retryMaxMs: env.SWITCHYARD_FORWARD_RETRY_MAX_MS,
    timeoutMs: env.SWITCHYARD_FORWARD_TIMEOUT_MS,
    logError,
  });
  return {
    // Off the request's turn of the event loop: choosing or re-encoding the body is never ingest's cost.
    accept: (accepted) =>
      void setImmediate(() => {
        try {
          const item = forwardItemOf(accepted);
          if (item) forwarder.enqueue(item);
        } catch (err) {
          logError("forwarding: cannot queue an accepted export", err);
        }
      }),
    status: () => forwarder.status(),
    close: () => forwarder.close(env.SWITCHYARD_FORWARD_DRAIN_MS),
  };
}
