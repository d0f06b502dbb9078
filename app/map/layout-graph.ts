/**
 * Left-to-right layout of the service map with elkjs (layered: callers left, callees and
 * consumers right, few crossings). The bundled build runs in the page's thread, which is fine for
 * a map of tens of nodes.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import type { MapEdge, MapNode } from "../../server/service-map/types.ts";

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 48;

const elk = new ELK();

const LAYOUT_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.spacing.nodeNodeBetweenLayers": "140",
  "elk.spacing.nodeNode": "36",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
};

/** Node positions (top-left, px) by node id. */
export type Positions = Record<string, { x: number; y: number }>;

/** Lays out the nodes and edges; only structure matters (ids), not the figures. */
export async function layoutGraph(nodes: readonly MapNode[], edges: readonly MapEdge[]): Promise<Positions> {
  const result = await elk.layout({
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const positions: Positions = {};
  for (const child of result.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
}

/** Key that changes only when nodes or edges appear or go: relayout only then. */
export function structureKey(nodes: readonly MapNode[], edges: readonly MapEdge[]): string {
  return `${nodes.map((n) => n.id).join(",")}|${edges.map((e) => e.id).join(",")}`;
}
