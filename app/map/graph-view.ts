/**
 * Pure: the part of the service graph the map draws when it is focused on one node, and the
 * `focus` URL parameter (a service's name, or any node id).
 */
import { parseNodeId, serviceNode, type MapEdge, type ServiceGraph } from "../../server/service-map/types.ts";

/** `order` -> `service:order`; a node id stays as it is; empty -> undefined. */
export function focusIdOf(param: string | null | undefined): string | undefined {
  if (!param) return undefined;
  const { kind } = parseNodeId(param);
  return param.startsWith(`${kind}:`) ? param : serviceNode(param);
}

/** What the URL says for a focused node: a service by its name, anything else by its id. */
export function focusParamOf(id: string): string {
  const { kind, name } = parseNodeId(id);
  return kind === "service" && !name.includes(":") ? name : id;
}

/**
 * The neighbourhood of `focusId`: the node, everything it calls or is called by, the queues it
 * sends to or reads from, and one hop through those queues in the direction of the messages (who
 * consumes what it publishes, who publishes what it consumes). Null when the node is not in the graph.
 */
export function focusGraph(graph: ServiceGraph, focusId: string): ServiceGraph | null {
  if (!graph.nodes.some((n) => n.id === focusId)) return null;
  const isQueue = (id: string) => parseNodeId(id).kind === "queue";
  const downstreamQueues = new Set<string>();
  const upstreamQueues = new Set<string>();
  for (const e of graph.edges) {
    if (e.from === focusId && isQueue(e.to)) downstreamQueues.add(e.to);
    if (e.to === focusId && isQueue(e.from)) upstreamQueues.add(e.from);
  }
  const isKept = (e: MapEdge) =>
    e.from === focusId || e.to === focusId || downstreamQueues.has(e.from) || upstreamQueues.has(e.to);
  const edges = graph.edges.filter(isKept);
  const ids = new Set([focusId, ...edges.flatMap((e) => [e.from, e.to])]);
  return { ...graph, nodes: graph.nodes.filter((n) => ids.has(n.id)), edges };
}
