"use client";
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from "@xyflow/react";
import type { MapEdge } from "../../server/service-map/types.ts";
import { EDGE_TYPE_LABEL, edgeLabel } from "./format.ts";
import { EDGE_LABEL_PX, LABEL_HEIGHT, roundedPath, routeMidpoint, type EdgeRoute } from "./layout-graph.ts";

/**
 * isDimmed: something else is selected and this edge does not touch it. isLabelShown: false
 * when the layout kept no room for labels (a large map) and the edge is neither hovered nor selected.
 */
export type MapFlowEdge = Edge<{ edge: MapEdge; isSelected: boolean; isDimmed: boolean; isLabelShown: boolean; route: EdgeRoute | null }, "typed">;

/** Stroke pattern per edge type: solid sync, dashed events, dotted commands, double request/reply. */
const DASH: Record<MapEdge["type"], string | undefined> = {
  sync: undefined,
  event: "7 5",
  command: "1.5 5",
  request_reply: undefined,
};

/** One typed edge along its ELK route, with its figures as a label; errors turn it red. */
export function TypedEdge(props: EdgeProps<MapFlowEdge>) {
  const { data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd } = props;
  const [bezier, bezierX, bezierY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  // ELK's route when there is one (laid out with the nodes, so it avoids them); else a curve.
  const route = data.route;
  const path = route ? roundedPath(route.points) : bezier;
  const at = route ? (route.label ?? routeMidpoint(route.points)) : null;
  const labelX = at?.x ?? bezierX;
  const labelY = at?.y ?? bezierY;
  const { edge, isSelected, isDimmed, isLabelShown } = data;
  const opacity = isDimmed ? 0.25 : 1;
  const color = edge.errors > 0 ? "var(--danger)" : isSelected ? "var(--accent)" : "var(--fg-muted)";
  const width = isSelected ? 2.5 : 1.6;
  const isDouble = edge.type === "request_reply";
  return (
    <>
      {isDouble && <BaseEdge path={path} style={{ stroke: color, strokeWidth: width + 3.5, opacity }} />}
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={markerEnd}
        interactionWidth={16}
        style={{
          stroke: isDouble ? "var(--bg)" : color,
          strokeWidth: isDouble ? width - 0.4 : width,
          strokeDasharray: DASH[edge.type],
          strokeLinecap: edge.type === "command" ? "round" : "butt",
          opacity,
        }}
      />
      {isLabelShown && <EdgeLabelRenderer>
        <div
          data-testid="map-edge-label"
          data-edge-type={edge.type}
          className={`nodrag nopan pointer-events-none absolute rounded border px-1 font-mono whitespace-nowrap ${
            edge.errors > 0 ? "border-danger/40 bg-danger-bg text-danger" : isSelected ? "border-accent bg-bg text-fg" : "border-line bg-bg text-muted"
          }`}
          style={{
            transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`,
            fontSize: EDGE_LABEL_PX,
            lineHeight: `${LABEL_HEIGHT - 2}px`,
            opacity,
            // A label drawn on hover may sit on other edges: keep it above them.
            zIndex: route?.label ? undefined : 10,
          }}
          title={`${EDGE_TYPE_LABEL[edge.type]}: ${edge.from} → ${edge.to}`}
        >
          {isDouble && <span aria-hidden>⇄ </span>}
          {edgeLabel(edge)}
        </div>
      </EdgeLabelRenderer>}
    </>
  );
}
