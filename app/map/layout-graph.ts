/**
 * Left-to-right layout of the service map with elkjs (layered: callers left, callees and
 * consumers right, few crossings). ELK also routes the edges (orthogonal, around the nodes) and
 * places their figure labels so they never sit on a node or on each other: the canvas draws
 * those routes as they are. The bundled build runs in the page's thread, which is fine for a map
 * of tens of nodes.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import type { MapEdge, MapNode } from "../../server/service-map/types.ts";
import { edgeLabel } from "./format.ts";

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 48;
/** Label box reserved in the layout: monospace 10.5 px is about 6.4 px a character, plus padding. */
const LABEL_CHAR_PX = 6.4;
const LABEL_PADDING_PX = 14;
const LABEL_HEIGHT = 16;

const elk = new ELK();

const LAYOUT_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.layered.spacing.nodeNodeBetweenLayers": "90",
  "elk.layered.spacing.edgeNodeBetweenLayers": "24",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "14",
  "elk.spacing.nodeNode": "36",
  "elk.spacing.edgeEdge": "14",
  "elk.spacing.edgeLabel": "4",
  // Messaging makes cycles (a service publishes to a topic it also consumes from, through other
  // services). Breaking them in flow order (see flowOrder) keeps each hop pointing right.
  "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
};

export type Point = { x: number; y: number };
/** Node positions (top-left, px) by node id. */
export type Positions = Record<string, Point>;
/** An edge as ELK routed it: its polyline and the centre of its label. */
export type EdgeRoute = { points: Point[]; label: Point | null };
export type GraphLayout = { positions: Positions; routes: Record<string, EdgeRoute> };

type ElkSection = { startPoint: Point; endPoint: Point; bendPoints?: Point[] };
type ElkLabel = { x?: number; y?: number; width?: number; height?: number };

/** Width reserved for an edge's label (its text at layout time; figures change, width barely). */
function labelWidth(edge: MapEdge): number {
  const text = (edge.type === "request_reply" ? "⇄ " : "") + edgeLabel(edge);
  return Math.ceil(text.length * LABEL_CHAR_PX + LABEL_PADDING_PX);
}

function routeOf(sections: ElkSection[] | undefined, labels: ElkLabel[] | undefined): EdgeRoute | null {
  const section = sections?.[0];
  if (!section) return null;
  const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
  const l = labels?.[0];
  const label = l?.x !== undefined && l.y !== undefined ? { x: l.x + (l.width ?? 0) / 2, y: l.y + (l.height ?? 0) / 2 } : null;
  return { points, label };
}

/**
 * Nodes in the order a request travels: breadth first from the entry points (nodes nothing
 * calls, or failing that the busiest synchronous caller), so that cycle breaking in model
 * order reverses only the edges that really go back (a reply, an event back to the caller).
 */
export function flowOrder(nodes: readonly MapNode[], edges: readonly MapEdge[]): MapNode[] {
  const out = new Map<string, string[]>();
  const inDegree = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const syncOut = new Map<string, number>();
  for (const e of edges) {
    out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    inDegree.set(e.to, (inDegree.get(e.to) ?? 0) + 1);
    if (e.type === "sync") syncOut.set(e.from, (syncOut.get(e.from) ?? 0) + 1);
  }
  // Services before queues, then the one making the most synchronous calls (where a user's
  // request comes in), then the most outgoing edges.
  const score = (n: MapNode) => (n.kind === "service" ? 1000 : 0) + (syncOut.get(n.id) ?? 0) * 100 + (out.get(n.id)?.length ?? 0);
  const byScore = (list: readonly MapNode[]) => [...list].sort((a, b) => score(b) - score(a));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const order: MapNode[] = [];
  // Breadth first from all `starts` at once, so every entry point precedes what it reaches.
  const visitFrom = (starts: readonly MapNode[]) => {
    const queue = starts.map((n) => n.id);
    for (const id of queue) seen.add(id);
    while (queue.length > 0) {
      const id = queue.shift()!;
      const node = byId.get(id);
      if (node) order.push(node);
      for (const next of out.get(id) ?? []) if (!seen.has(next)) (seen.add(next), queue.push(next));
    }
  };
  visitFrom(byScore(nodes.filter((n) => (inDegree.get(n.id) ?? 0) === 0)));
  // What is left sits on cycles no entry reaches: start each from its best-scored node.
  for (const next of byScore(nodes)) if (!seen.has(next.id)) visitFrom([next]);
  return order;
}

/** Lays out the nodes and routes the edges. */
export async function layoutGraph(nodes: readonly MapNode[], edges: readonly MapEdge[]): Promise<GraphLayout> {
  const result = await elk.layout({
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children: flowOrder(nodes, edges).map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges.map((e) => ({
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: [{ id: `${e.id}:label`, text: edgeLabel(e), width: labelWidth(e), height: LABEL_HEIGHT, layoutOptions: { "elk.edgeLabels.placement": "CENTER" } }],
    })),
  });
  const positions: Positions = {};
  for (const child of result.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  const routes: Record<string, EdgeRoute> = {};
  // elkjs types the result as its input; the routed sections and placed labels come on top.
  const routed = (result.edges ?? []) as Array<{ id: string; sections?: ElkSection[]; labels?: ElkLabel[] }>;
  for (const edge of routed) {
    const route = routeOf(edge.sections, edge.labels);
    if (route) routes[edge.id] = route;
  }
  return { positions, routes };
}

/** Key that changes only when nodes or edges appear or go: relayout only then. */
export function structureKey(nodes: readonly MapNode[], edges: readonly MapEdge[]): string {
  return `${nodes.map((n) => n.id).join(",")}|${edges.map((e) => e.id).join(",")}`;
}

/** SVG path through `points` with corners rounded by up to `radius` px. */
export function roundedPath(points: readonly Point[], radius = 6): string {
  const [first, ...rest] = points;
  if (!first) return "";
  let d = `M ${first.x} ${first.y}`;
  for (let i = 0; i < rest.length; i++) {
    const corner = rest[i]!;
    const next = rest[i + 1];
    if (!next) {
      d += ` L ${corner.x} ${corner.y}`;
      break;
    }
    const prev = i === 0 ? first : rest[i - 1]!;
    const r = Math.min(radius, distance(prev, corner) / 2, distance(corner, next) / 2);
    const a = towards(corner, prev, r);
    const b = towards(corner, next, r);
    d += ` L ${a.x} ${a.y} Q ${corner.x} ${corner.y} ${b.x} ${b.y}`;
  }
  return d;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/** The point `r` px from `from` in the direction of `to`. */
function towards(from: Point, to: Point, r: number): Point {
  const d = distance(from, to) || 1;
  return { x: from.x + ((to.x - from.x) / d) * r, y: from.y + ((to.y - from.y) / d) * r };
}
