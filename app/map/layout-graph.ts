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

export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 54;
/** Height of one instance row of an expanded service, and the gap above the rows. */
export const INSTANCE_ROW_HEIGHT = 22;
const INSTANCE_ROWS_PADDING = 8;
/** Font sizes (px at zoom 1) of a node's name and of an edge's figures. */
export const NODE_LABEL_PX = 14;
export const EDGE_LABEL_PX = 12.5;
/**
 * Zoom range of the initial fit: never below what keeps both labels at 11 px or more on screen
 * (a larger map is panned, not shrunk), never above what makes a small map look blown up.
 */
export const FIT_MIN_ZOOM = 0.9;
export const FIT_MAX_ZOOM = 1.15;
/**
 * Up to this many edges ELK reserves a box for every edge's figures (always shown, never on a
 * node or another label). A larger map draws them on hover or selection instead: reserving 150
 * label boxes makes ELK add as many dummy nodes, triples the layout time (past 200 ms for 50
 * nodes / 150 edges) and draws the map twice as wide.
 */
export const LABELS_IN_LAYOUT_MAX_EDGES = 60;
/** Label box reserved in the layout: monospace is about 0.6 em a character, plus padding. */
const LABEL_CHAR_PX = EDGE_LABEL_PX * 0.6;
const LABEL_PADDING_PX = 14;
export const LABEL_HEIGHT = 20;

const elk = new ELK();

const LAYOUT_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  // Each layer gap already holds a layer of label boxes: keep the spacing around them small so
  // the shop's five layers stay about 2,200 px wide (panned at a readable zoom, not shrunk).
  "elk.layered.spacing.nodeNodeBetweenLayers": "40",
  "elk.layered.spacing.edgeNodeBetweenLayers": "16",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "18",
  "elk.spacing.nodeNode": "40",
  "elk.spacing.edgeEdge": "18",
  "elk.spacing.edgeLabel": "6",
  // Messaging makes cycles (a service publishes to a topic it also consumes from, through other
  // services). Breaking them in flow order (see flowOrder) keeps each hop pointing right.
  "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
};

export type Point = { x: number; y: number };
/** Node positions (top-left, px) by node id. */
export type Positions = Record<string, Point>;
/** An edge as ELK routed it: its polyline, the centre of its label and the box kept for it. */
export type EdgeRoute = { points: Point[]; label: Point | null; labelBox: { x: number; y: number; width: number; height: number } | null };
/** Where every node and edge goes, and the size of the whole drawing. */
export type GraphLayout = { positions: Positions; routes: Record<string, EdgeRoute>; width: number; height: number; hasLabels: boolean };

type ElkSection = { startPoint: Point; endPoint: Point; bendPoints?: Point[] };
type ElkLabel = { x?: number; y?: number; width?: number; height?: number };

/** Size a node is drawn at: an expanded service grows a row per instance. */
export function nodeSize(node: MapNode, isExpanded: boolean): { width: number; height: number } {
  const rows = isExpanded && node.kind === "service" ? (node.instances?.length ?? 0) : 0;
  return { width: NODE_WIDTH, height: NODE_HEIGHT + (rows > 0 ? INSTANCE_ROWS_PADDING + rows * INSTANCE_ROW_HEIGHT : 0) };
}

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
  const labelBox = l?.x !== undefined && l.y !== undefined ? { x: l.x, y: l.y, width: l.width ?? 0, height: l.height ?? 0 } : null;
  const label = labelBox && { x: labelBox.x + labelBox.width / 2, y: labelBox.y + labelBox.height / 2 };
  return { points, label, labelBox };
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

/** Lays out the nodes (services in `expanded` drawn with their instances) and routes the edges. */
export async function layoutGraph(nodes: readonly MapNode[], edges: readonly MapEdge[], expanded: ReadonlySet<string> = new Set()): Promise<GraphLayout> {
  const hasLabels = edges.length <= LABELS_IN_LAYOUT_MAX_EDGES;
  const result = await elk.layout({
    id: "root",
    // Fewer crossing-minimisation sweeps on a large map: about 3x faster (50 nodes / 150 edges:
    // bench/map-layout.ts), with fewer crossings to gain there than on the shop's map.
    layoutOptions: { ...LAYOUT_OPTIONS, "elk.layered.thoroughness": hasLabels ? "7" : "2" },
    children: flowOrder(nodes, edges).map((n) => ({ id: n.id, ...nodeSize(n, expanded.has(n.id)) })),
    edges: edges.map((e) => ({
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: hasLabels
        ? [{ id: `${e.id}:label`, text: edgeLabel(e), width: labelWidth(e), height: LABEL_HEIGHT, layoutOptions: { "elk.edgeLabels.placement": "CENTER" } }]
        : [],
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
  // The root's size comes on top of the input shape too.
  const size = result as { width?: number; height?: number };
  return { positions, routes, width: size.width ?? 0, height: size.height ?? 0, hasLabels };
}

/** Screen px kept free around the drawing by the initial fit. */
const FIT_MARGIN_PX = 24;

/**
 * The viewport that shows a drawing of `size` in a canvas of `view` px at a readable zoom: the
 * zoom that fits, kept within [FIT_MIN_ZOOM, FIT_MAX_ZOOM]; centred along each axis where the
 * drawing fits, else starting at its left (entry points) or top edge, to be panned from there.
 */
export function initialViewport(size: { width: number; height: number }, view: { width: number; height: number }): { x: number; y: number; zoom: number } {
  const free = { width: Math.max(1, view.width - 2 * FIT_MARGIN_PX), height: Math.max(1, view.height - 2 * FIT_MARGIN_PX) };
  const fit = Math.min(free.width / Math.max(1, size.width), free.height / Math.max(1, size.height));
  const zoom = Math.min(FIT_MAX_ZOOM, Math.max(FIT_MIN_ZOOM, fit));
  const place = (drawn: number, room: number, total: number) => (drawn <= room ? (total - drawn) / 2 : FIT_MARGIN_PX);
  return { x: place(size.width * zoom, free.width, view.width), y: place(size.height * zoom, free.height, view.height), zoom };
}

/** Key that changes only when nodes, edges or the size of a node change: relayout only then. */
export function structureKey(nodes: readonly MapNode[], edges: readonly MapEdge[], expanded: ReadonlySet<string> = new Set()): string {
  const sized = nodes.map((n) => `${n.id}:${nodeSize(n, expanded.has(n.id)).height}`);
  return `${sized.join(",")}|${edges.map((e) => e.id).join(",")}`;
}

/** Middle of the longest segment of a route: where a label not reserved by ELK is drawn. */
export function routeMidpoint(points: readonly Point[]): Point | null {
  let best: Point | null = null;
  let longest = -1;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const length = distance(a, b);
    if (length > longest) [longest, best] = [length, { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }];
  }
  return best;
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
