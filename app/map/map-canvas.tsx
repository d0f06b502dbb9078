"use client";
import { Background, Controls, MarkerType, ReactFlow, type EdgeMouseHandler, type NodeMouseHandler } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import type { ServiceGraph } from "../../server/service-map/types.ts";
import { TypedEdge, type MapFlowEdge } from "./map-edge.tsx";
import { MapNodeView, type MapFlowNode } from "./map-node.tsx";
import type { GraphLayout } from "./layout-graph.ts";
import { useIsDark } from "./use-is-dark.ts";

const nodeTypes = { mapNode: MapNodeView };
const edgeTypes = { typed: TypedEdge };

type Props = { graph: ServiceGraph; layout: GraphLayout; select?: string; onSelect: (id: string | undefined) => void };

/** The graph drawn with xyflow: pan/zoom, click a node or an edge to select it. */
export function MapCanvas({ graph, layout, select, onSelect }: Props) {
  const { positions, routes } = layout;
  const isDark = useIsDark();
  const nodes = useMemo<MapFlowNode[]>(
    () => graph.nodes.map((node) => ({
      id: node.id,
      type: "mapNode",
      position: positions[node.id] ?? { x: 0, y: 0 },
      data: { node, isSelected: node.id === select },
      draggable: false,
      connectable: false,
    })),
    [graph.nodes, positions, select],
  );
  const edges = useMemo<MapFlowEdge[]>(
    () => graph.edges.map((edge) => ({
      id: edge.id,
      source: edge.from,
      target: edge.to,
      type: "typed",
      data: { edge, isSelected: edge.id === select, route: routes[edge.id] ?? null },
      markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: edge.errors > 0 ? "var(--danger)" : "var(--fg-muted)" },
      ariaLabel: `${edge.type} ${edge.from} to ${edge.to}`,
    })),
    [graph.edges, routes, select],
  );
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
      onPaneClick={() => onSelect(undefined)}
      colorMode={isDark ? "dark" : "light"}
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
      minZoom={0.2}
      nodesDraggable={false}
      nodesConnectable={false}
      proOptions={{ hideAttribution: true }}
      style={{ background: "var(--bg)" }}
    >
      <Background gap={20} size={1} color="var(--line)" />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
