"use client";
import {
  Background, Controls, MarkerType, ReactFlow, useReactFlow, useStore,
  type EdgeMouseHandler, type NodeMouseHandler,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ServiceGraph } from "../../server/service-map/types.ts";
import { TypedEdge, type MapFlowEdge } from "./map-edge.tsx";
import { MapNodeView, type MapFlowNode } from "./map-node.tsx";
import { FIT_MAX_ZOOM, FIT_MIN_ZOOM, initialViewport, nodeSize, type GraphLayout } from "./layout-graph.ts";
import { useIsDark } from "./use-is-dark.ts";

const nodeTypes = { mapNode: MapNodeView };
const edgeTypes = { typed: TypedEdge };
const FIT_OPTIONS = { padding: 0.08, minZoom: FIT_MIN_ZOOM, maxZoom: FIT_MAX_ZOOM };

type Props = {
  graph: ServiceGraph;
  layout: GraphLayout;
  select?: string;
  focus?: string;
  expanded: ReadonlySet<string>;
  /** Changes when the user asks for another view (window, focus, own traffic): fit again then; null while that view's layout is computed. */
  fitKey: string | null;
  onSelect: (id: string | undefined) => void;
  onToggleExpand: (id: string) => void;
};

/**
 * Fits the drawing at a readable zoom when it first appears and whenever `fitKey` changes (a
 * map wider than the canvas starts at its entry points, on the left, and pans), and brings a
 * newly selected node into view when the side panel took its place.
 */
function useViewportFit(layout: GraphLayout, fitKey: string | null, select: string | undefined) {
  const flow = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const fitted = useRef<string | null>(null);
  useEffect(() => {
    if (fitKey === null || width === 0 || height === 0 || fitted.current === fitKey) return;
    fitted.current = fitKey;
    void flow.setViewport(initialViewport(layout, { width, height }));
  }, [flow, layout, fitKey, width, height]);
  useEffect(() => {
    const node = select ? flow.getInternalNode(select) : undefined;
    if (!node || width === 0) return;
    const { x, y, zoom } = flow.getViewport();
    const { width: w = 0, height: h = 0 } = node.measured;
    const left = node.internals.positionAbsolute.x * zoom + x;
    const top = node.internals.positionAbsolute.y * zoom + y;
    const isVisible = left >= 0 && top >= 0 && left + w * zoom <= width && top + h * zoom <= height;
    if (!isVisible) void flow.setCenter(node.internals.positionAbsolute.x + w / 2, node.internals.positionAbsolute.y + h / 2, { zoom, duration: 200 });
  }, [flow, select, width, height]);
}

/** The graph drawn with xyflow: pan/zoom, click a node or an edge to select it. */
export function MapCanvas({ graph, layout, select, focus, expanded, fitKey, onSelect, onToggleExpand }: Props) {
  const { positions, routes } = layout;
  const isDark = useIsDark();
  useViewportFit(layout, fitKey, select);
  const [hovered, setHovered] = useState<string | null>(null);
  const nodes = useMemo<MapFlowNode[]>(
    () => graph.nodes.flatMap((node) => {
      const position = positions[node.id];
      // Not laid out yet (appeared since the last layout): drawn once the new layout is ready.
      if (!position) return [];
      const isExpanded = expanded.has(node.id);
      return [{
        id: node.id,
        type: "mapNode" as const,
        position,
        ...nodeSize(node, isExpanded),
        data: { node, isSelected: node.id === select, isExpanded, isFocus: node.id === focus, onToggleExpand },
        draggable: false,
        connectable: false,
      }];
    }),
    [graph.nodes, positions, select, focus, expanded, onToggleExpand],
  );
  const edges = useMemo<MapFlowEdge[]>(() => {
    const drawn = new Set(nodes.map((n) => n.id));
    const selectedNode = select && drawn.has(select) ? select : undefined;
    return graph.edges.filter((e) => drawn.has(e.from) && drawn.has(e.to)).map((edge) => ({
      id: edge.id,
      source: edge.from,
      target: edge.to,
      type: "typed",
      data: {
        edge,
        isSelected: edge.id === select || edge.from === selectedNode || edge.to === selectedNode,
        isDimmed: selectedNode !== undefined && edge.from !== selectedNode && edge.to !== selectedNode,
        isLabelShown: layout.hasLabels || edge.id === hovered || edge.id === select || edge.from === selectedNode || edge.to === selectedNode,
        route: routes[edge.id] ?? null,
      },
      markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: edge.errors > 0 ? "var(--danger)" : "var(--fg-muted)" },
      ariaLabel: `${edge.type} ${edge.from} to ${edge.to}`,
    }));
  }, [graph.edges, nodes, routes, select, hovered, layout.hasLabels]);
  const onNodeClick: NodeMouseHandler<MapFlowNode> = (_, node) => onSelect(node.id);
  const onEdgeClick: EdgeMouseHandler<MapFlowEdge> = (_, edge) => onSelect(edge.id);
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodeClick={onNodeClick}
      onEdgeClick={onEdgeClick}
      onEdgeMouseEnter={(_, edge) => setHovered(edge.id)}
      onEdgeMouseLeave={() => setHovered(null)}
      onPaneClick={() => onSelect(undefined)}
      colorMode={isDark ? "dark" : "light"}
      minZoom={0.2}
      maxZoom={2}
      nodesDraggable={false}
      nodesConnectable={false}
      style={{ background: "var(--bg)" }}
    >
      <Background gap={20} size={1} color="var(--line)" />
      <Controls showInteractive={false} fitViewOptions={FIT_OPTIONS} />
    </ReactFlow>
  );
}
