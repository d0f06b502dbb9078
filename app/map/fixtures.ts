/**
 * Graphs for the layout's tests and benchmark: the shop as the sandbox draws it, and a synthetic
 * map of any size (deterministic: the same arguments give the same graph).
 */
import type { EdgeType, MapEdge, MapNode, ServiceGraph } from "../../server/service-map/types.ts";
import { seededRandom as random } from "../../services/shared/prng.ts";

export function fixtureNode(id: string, extra: Partial<MapNode> = {}): MapNode {
  const colon = id.indexOf(":");
  return { id, kind: id.slice(0, colon) as MapNode["kind"], name: id.slice(colon + 1), inCalls: 0, inErrors: 0, outCalls: 0, ...extra };
}

export function fixtureEdge(from: string, to: string, type: EdgeType, calls = 12, errors = 0): MapEdge {
  return {
    id: `${from}->${to}:${type}`, from, to, type, calls, errors, ratePerSec: calls / 900, errorRate: errors / calls,
    avgMs: 12.5, maxMs: 180, p50Ms: 10, p95Ms: 120,
  };
}

function graphOf(edges: MapEdge[], extra: Record<string, Partial<MapNode>> = {}): ServiceGraph {
  const ids = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  return { fromMs: 0, toMs: 900_000, nodes: ids.map((id) => fixtureNode(id, extra[id])), edges };
}

/** The sandbox's shop over a few minutes of mixed orders (topics grouped, as the router sends it). */
export function shopGraph(): ServiceGraph {
  const s = (n: string) => `service:${n}`;
  const q = (n: string) => `queue:${n}`;
  const edges: MapEdge[] = [
    fixtureEdge(s("gateway"), s("order"), "sync"),
    fixtureEdge(s("order"), s("inventory"), "sync"),
    fixtureEdge(s("order"), s("payment"), "sync", 12, 3),
    fixtureEdge(s("order"), s("shipping"), "sync"),
    fixtureEdge(s("order"), q("credit-check-requests"), "request_reply"),
    fixtureEdge(q("credit-check-requests"), s("payment"), "request_reply"),
    fixtureEdge(s("payment"), q("credit-check-replies.order"), "request_reply"),
    fixtureEdge(q("credit-check-replies.order"), s("order"), "request_reply"),
    ...["order", "payment", "inventory", "shipping"].map((p) => fixtureEdge(s(p), q(`${p}-events`), "event")),
    ...["payment", "shipping", "notification", "analytics"].map((c) => fixtureEdge(q("order-events"), s(c), "event")),
    ...["order", "inventory", "analytics"].map((c) => fixtureEdge(q("payment-events"), s(c), "event")),
    ...["order", "payment", "shipping", "analytics"].map((c) => fixtureEdge(q("inventory-events"), s(c), "event")),
    ...["order", "payment", "inventory", "notification", "analytics"].map((c) => fixtureEdge(q("shipping-events"), s(c), "event")),
  ];
  const instances = [{ id: "inventory-1", requests: 40, errors: 0, avgMs: 4 }, { id: "inventory-2", requests: 38, errors: 1, avgMs: 5 }];
  return graphOf(edges, {
    [s("inventory")]: { instances },
    [q("order-events")]: { members: ["order-events.analytics", "order-events.notification", "order-events.payment", "order-events.shipping"] },
  });
}


/**
 * A map of `nodeCount` nodes (a fifth of them topics) and `edgeCount` distinct edges: calls
 * mostly from earlier to later services, each topic with a producer or two and several consumers.
 */
export function syntheticGraph(nodeCount: number, edgeCount: number, seed = 7): ServiceGraph {
  const rand = random(seed);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const queueCount = Math.max(1, Math.round(nodeCount / 5));
  const services = Array.from({ length: nodeCount - queueCount }, (_, i) => `service:svc-${String(i).padStart(2, "0")}`);
  const queues = Array.from({ length: queueCount }, (_, i) => `queue:topic-${String(i).padStart(2, "0")}`);
  const edges = new Map<string, MapEdge>();
  const add = (e: MapEdge) => edges.size < edgeCount && edges.set(e.id, e);
  // Every service is called by an earlier one (a tree from the entry point), so none is left out.
  for (let i = 1; i < services.length; i++) add(fixtureEdge(services[Math.floor(rand() * i)]!, services[i]!, "sync"));
  for (const queue of queues) {
    add(fixtureEdge(pick(services), queue, "event"));
    for (let i = 0; i < 3; i++) add(fixtureEdge(queue, pick(services), "event"));
  }
  const guard = edgeCount * 50;
  for (let tries = 0; edges.size < edgeCount && tries < guard; tries++) {
    const a = Math.floor(rand() * services.length);
    const b = Math.floor(rand() * services.length);
    if (a === b) continue;
    const roll = rand();
    if (roll < 0.6) add(fixtureEdge(services[Math.min(a, b)]!, services[Math.max(a, b)]!, "sync", 5 + Math.floor(rand() * 500), rand() < 0.1 ? 2 : 0));
    else if (roll < 0.8) add(fixtureEdge(services[a]!, pick(queues), "event"));
    else add(fixtureEdge(pick(queues), services[b]!, rand() < 0.5 ? "event" : "command"));
  }
  return graphOf([...edges.values()]);
}
