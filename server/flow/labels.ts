/**
 * Names for lanes and arrows from OTel semantic conventions, so traces from any SDK read well:
 * rpc.* first, then messaging.*, then http.*, then the span name.
 */
import { Attr } from "../../services/contracts/semconv.ts";
import type { StoredSpan } from "../store/types.ts";

function attr(span: StoredSpan, key: string): string | null {
  const v = span.attributes[key];
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null;
}

export { attr as stringAttr };

/** Label of a synchronous call: `service.method`, else `GET /route`, else the span name. */
export function callLabel(client: StoredSpan | null, server: StoredSpan | null): string {
  for (const s of [server, client]) {
    if (!s) continue;
    const method = attr(s, Attr.RPC_METHOD);
    if (method) {
      const service = attr(s, Attr.RPC_SERVICE);
      return service && !method.startsWith(`${service}.`) ? `${service}.${method}` : method;
    }
  }
  for (const s of [server, client]) {
    if (!s) continue;
    const verb = attr(s, Attr.HTTP_REQUEST_METHOD) ?? attr(s, "http.method");
    const path = attr(s, Attr.HTTP_ROUTE) ?? attr(s, "url.path") ?? attr(s, "http.target");
    if (verb && path) return `${verb} ${path}`;
  }
  return (client ?? server)?.name ?? "call";
}

/** Label of a message: the event name, else the queue/topic, else the span name. */
export function messageLabel(producer: StoredSpan | null, consumer: StoredSpan | null): string {
  for (const key of [Attr.EVENT_NAME, Attr.MESSAGING_DESTINATION_NAME, "messaging.destination"]) {
    for (const s of [producer, consumer]) {
      const v = s && attr(s, key);
      if (v) {
        const queue = key === Attr.EVENT_NAME && s ? attr(s, Attr.MESSAGING_DESTINATION_NAME) : null;
        return queue ? `${v} · ${queue}` : v;
      }
    }
  }
  return (producer ?? consumer)?.name ?? "message";
}

/** Where a CLIENT span without a recorded server goes: peer service, database, host, or "?". */
export function externalLane(client: StoredSpan): string {
  return (
    attr(client, Attr.PEER_SERVICE) ??
    attr(client, Attr.DB_SYSTEM_NAME) ??
    attr(client, Attr.DB_SYSTEM) ??
    attr(client, Attr.RPC_SERVICE) ??
    attr(client, Attr.SERVER_ADDRESS) ??
    attr(client, "net.peer.name") ??
    "external"
  );
}
