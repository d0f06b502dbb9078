/**
 * Pure derivation of service-map edges from spans, shared by the ingest aggregator and by tests.
 *
 * - Messaging edges need one span each: a PRODUCER is `service -> queue`, a CONSUMER is
 *   `queue -> service`, both named by messaging.destination.name (else the span name
 *   `send <queue>` / `process <queue>`). The type comes from app.messaging.role (request/reply),
 *   else app.messaging.pattern (publish-subscribe = event, point-to-point = command); spans of
 *   foreign SDKs without our attributes count as events.
 * - Sync edges pair a SERVER span with its parent in another service (the caller's CLIENT span,
 *   or for foreign SDKs whatever span the context came from): `caller -> callee`, timed by the
 *   SERVER span. A CLIENT span that no SERVER span ever claims (an uninstrumented peer, or a call
 *   that never reached the server) becomes `caller -> peer`, named by peer.service / rpc.service
 *   (= a service node) or server.address:port, timed by the CLIENT span.
 * - CLIENT spans to databases (db.system / db.system.name) and spans within one service are not
 *   edges.
 */
import { Attr, MessagingPattern, MessagingRole } from "../../services/contracts/semconv.ts";
import type { StoredSpan } from "../store/types.ts";
import { peerNode, queueNode, serviceNode, type EdgeSample, type EdgeType, type NodeId } from "./types.ts";

/** What the aggregator remembers about a span that may be the parent of a later one. */
export type SpanRef = { service: string; kind: StoredSpan["kind"]; destination?: string };

/** The reference a later span keeps of `span` (a producer also keeps its destination). */
export function refOf(span: StoredSpan): SpanRef {
  return span.kind === "PRODUCER" ? { service: span.serviceName, kind: span.kind, destination: destinationOf(span) } : { service: span.serviceName, kind: span.kind };
}

/** Parent lookup outside the spans at hand (the aggregator's recent-span memory). */
export type ParentLookup = (spanId: string) => SpanRef | undefined;

/** Result of one derivation: edges found, and spans whose counterpart is not (yet) known. */
export type DerivedEdges = {
  samples: EdgeSample[];
  /** SERVER and CONSUMER spans whose parent was not found: the parent may arrive later. */
  waitingChildren: StoredSpan[];
  /** CLIENT spans no SERVER span claimed yet: the server's span may arrive later. */
  unclaimedClients: StoredSpan[];
  /** Span ids of parents claimed by a SERVER span in this derivation. */
  claimedParents: Set<string>;
};

const MINUTE_MS = 60_000;

/** Start of the minute a span started in, Unix ms (ns strings exceed 2^53: cut, then parse). */
export function bucketOf(span: StoredSpan): number {
  const ms = Number(span.startTimeUnixNano.slice(0, -6) || "0");
  return ms - (ms % MINUTE_MS);
}

const durationUs = (span: StoredSpan) => Number(span.durationNs) / 1000;
const str = (span: StoredSpan, key: string) => {
  const v = span.attributes[key];
  return typeof v === "string" && v !== "" ? v : undefined;
};

function sampleOf(span: StoredSpan, from: NodeId, to: NodeId, type: EdgeType): EdgeSample {
  return { bucketMs: bucketOf(span), from, to, type, durationUs: durationUs(span), isError: span.status.code === "ERROR" };
}

/** The queue a messaging span sends to or processes from. */
export function destinationOf(span: StoredSpan): string | undefined {
  const named = str(span, Attr.MESSAGING_DESTINATION_NAME);
  if (named) return named;
  const space = span.name.indexOf(" ");
  return space > 0 ? span.name.slice(space + 1) : undefined;
}

/** Edge type of a messaging span. */
export function messagingEdgeType(span: StoredSpan): EdgeType {
  const role = str(span, Attr.MESSAGING_ROLE);
  if (role === MessagingRole.REQUEST || role === MessagingRole.REPLY) return "request_reply";
  if (str(span, Attr.MESSAGING_CONVERSATION_ID) && str(span, Attr.MESSAGING_REPLY_TO)) return "request_reply";
  return str(span, Attr.MESSAGING_PATTERN) === MessagingPattern.POINT_TO_POINT ? "command" : "event";
}

/**
 * `service -> queue` for a PRODUCER, `queue -> service` for a CONSUMER, else null. A consumer's
 * queue is its parent producer's destination when known: a publish-subscribe subscriber reads
 * its own queue (`order-events.shipping`) but the map shows the topic the event was sent to.
 */
export function messagingEdge(span: StoredSpan, parent?: SpanRef): EdgeSample | null {
  if (span.kind !== "PRODUCER" && span.kind !== "CONSUMER") return null;
  const fromParent = span.kind === "CONSUMER" && parent?.kind === "PRODUCER" ? parent.destination : undefined;
  const destination = fromParent ?? destinationOf(span);
  if (!destination) return null;
  const [service, queue] = [serviceNode(span.serviceName), queueNode(destination)];
  const type = messagingEdgeType(span);
  return span.kind === "PRODUCER" ? sampleOf(span, service, queue, type) : sampleOf(span, queue, service, type);
}

/** A CLIENT span that may be answered by a SERVER span elsewhere (not a database call). */
export function isRemoteCall(span: StoredSpan): boolean {
  return span.kind === "CLIENT" && str(span, Attr.DB_SYSTEM) === undefined && str(span, Attr.DB_SYSTEM_NAME) === undefined;
}

/** `caller -> callee` for a SERVER span whose parent ran in another service. */
export function syncEdge(server: StoredSpan, parent: SpanRef): EdgeSample | null {
  if (parent.service === server.serviceName) return null;
  return sampleOf(server, serviceNode(parent.service), serviceNode(server.serviceName), "sync");
}

/** `caller -> peer` for a CLIENT span no SERVER span claimed; null without any peer attribute. */
export function peerEdge(client: StoredSpan): EdgeSample | null {
  const service = str(client, Attr.PEER_SERVICE) ?? str(client, Attr.RPC_SERVICE);
  const address = str(client, Attr.SERVER_ADDRESS);
  const port = client.attributes[Attr.SERVER_PORT];
  const to = service ? serviceNode(service) : address ? peerNode(port === undefined ? address : `${address}:${String(port)}`) : null;
  if (to === null || to === serviceNode(client.serviceName)) return null;
  return sampleOf(client, serviceNode(client.serviceName), to, "sync");
}

/**
 * Derives the edges of `spans`, resolving parents within `spans` first and then through
 * `lookup`. Counterparts that are missing are returned for the caller to wait on.
 */
export function deriveEdges(spans: readonly StoredSpan[], lookup: ParentLookup = () => undefined): DerivedEdges {
  const local = new Map<string, StoredSpan>();
  for (const span of spans) local.set(span.spanId, span);
  const result: DerivedEdges = { samples: [], waitingChildren: [], unclaimedClients: [], claimedParents: new Set() };
  const push = (edge: EdgeSample | null) => edge && result.samples.push(edge);
  for (const span of spans) {
    if (span.kind === "PRODUCER") push(messagingEdge(span));
    const isChild = span.kind === "SERVER" || span.kind === "CONSUMER";
    if (!isChild) continue;
    if (span.parentSpanId === null) {
      if (span.kind === "CONSUMER") push(messagingEdge(span));
      continue;
    }
    const parentSpan = local.get(span.parentSpanId);
    const parent = parentSpan ? refOf(parentSpan) : lookup(span.parentSpanId);
    if (!parent) {
      result.waitingChildren.push(span);
      continue;
    }
    result.claimedParents.add(span.parentSpanId);
    push(childEdge(span, parent));
  }
  for (const span of spans) {
    if (isRemoteCall(span) && !result.claimedParents.has(span.spanId)) result.unclaimedClients.push(span);
  }
  return result;
}

/** The edge of a SERVER or CONSUMER span once its parent is known (undefined: never found). */
export function childEdge(span: StoredSpan, parent: SpanRef | undefined): EdgeSample | null {
  if (span.kind === "CONSUMER") return messagingEdge(span, parent);
  return parent ? syncEdge(span, parent) : null;
}

/**
 * Every edge of a complete set of spans (fixtures, a whole trace): unclaimed CLIENT spans become
 * peer edges; SERVER spans whose parent is absent yield none, CONSUMER spans use their own queue.
 */
export function edgesFromSpans(spans: readonly StoredSpan[]): EdgeSample[] {
  const derived = deriveEdges(spans);
  const late = [...derived.waitingChildren.map((s) => childEdge(s, undefined)), ...derived.unclaimedClients.map(peerEdge)];
  return [...derived.samples, ...late.filter((e): e is EdgeSample => e !== null)];
}
