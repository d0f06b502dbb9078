/**
 * Shapes of the service map: node ids, edge types, the per-span edge samples the aggregator folds
 * and the per-minute bucket rows it stores (telemetry.edge_minutes), and the graph the map shows.
 */
import { z } from "zod";

/** How two nodes talk (see docs/architecture.md "Service map"). */
export const EDGE_TYPES = ["sync", "event", "command", "request_reply"] as const;
export const EdgeTypeSchema = z.enum(EDGE_TYPES);
export type EdgeType = z.infer<typeof EdgeTypeSchema>;

export const NODE_KINDS = ["service", "queue", "peer"] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** `service:order`, `queue:order-events`, `peer:api.example.com:443`. */
export type NodeId = `${NodeKind}:${string}`;

export const serviceNode = (name: string): NodeId => `service:${name}`;
export const queueNode = (name: string): NodeId => `queue:${name}`;
export const peerNode = (address: string): NodeId => `peer:${address}`;

/** Splits a node id into its kind and name; ids of unknown kinds count as peers. */
export function parseNodeId(id: string): { kind: NodeKind; name: string } {
  const colon = id.indexOf(":");
  const kind = id.slice(0, colon);
  const name = id.slice(colon + 1);
  return (NODE_KINDS as readonly string[]).includes(kind) ? { kind: kind as NodeKind, name } : { kind: "peer", name: id };
}

/** One observed call or message on an edge, derived from one span. */
export type EdgeSample = {
  /** Start of the minute the span started in (Unix ms). */
  bucketMs: number;
  from: NodeId;
  to: NodeId;
  type: EdgeType;
  durationUs: number;
  isError: boolean;
};

/** Aggregate of an edge over some minutes: one telemetry.edge_minutes row, or a sum of rows. */
export type EdgeRow = {
  from: string;
  to: string;
  type: EdgeType;
  calls: number;
  errors: number;
  durationSumUs: number;
  durationMaxUs: number;
  /** Counts per latency bucket (bounds in latency.ts). */
  latencyHist: number[];
};

/** Requests one instance of a service served in the window (SERVER and CONSUMER spans by `service.instance.id`). */
export const MapInstanceSchema = z.object({
  id: z.string(),
  requests: z.number().int(),
  errors: z.number().int(),
  avgMs: z.number(),
});
export type MapInstance = z.infer<typeof MapInstanceSchema>;

/** One node of the map with the traffic through it. */
export const MapNodeSchema = z.object({
  id: z.string(),
  kind: z.enum(NODE_KINDS),
  name: z.string(),
  /** Calls/messages arriving at the node in the window, and how many failed. */
  inCalls: z.number().int(),
  inErrors: z.number().int(),
  outCalls: z.number().int(),
  /** A topic drawn as one node: the queues grouped under it (its own name included when seen). */
  members: z.array(z.string()).optional(),
  /** A service: its instances that served requests in the window. */
  instances: z.array(MapInstanceSchema).optional(),
});
export type MapNode = z.infer<typeof MapNodeSchema>;

/** One typed edge with its rate, error rate and latency over the window. */
export const MapEdgeSchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  type: EdgeTypeSchema,
  calls: z.number().int(),
  errors: z.number().int(),
  /** Calls per second over the window. */
  ratePerSec: z.number(),
  /** errors / calls, 0..1. */
  errorRate: z.number(),
  avgMs: z.number(),
  maxMs: z.number(),
  /** Upper bound of the histogram bucket holding the percentile (null above the last bound). */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
});
export type MapEdge = z.infer<typeof MapEdgeSchema>;

export const ServiceGraphSchema = z.object({
  fromMs: z.number(),
  toMs: z.number(),
  nodes: z.array(MapNodeSchema),
  edges: z.array(MapEdgeSchema),
  /** Edges of the dashboard's own traffic left out (0 when shown). */
  hiddenOwnEdges: z.number().int().optional(),
});
export type ServiceGraph = z.infer<typeof ServiceGraphSchema>;
