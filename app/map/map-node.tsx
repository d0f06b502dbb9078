"use client";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { MapNode } from "../../server/service-map/types.ts";
import { serviceColor } from "../lib/service-colors.ts";
import { formatPercent } from "./format.ts";

export type MapFlowNode = Node<{ node: MapNode; isSelected: boolean }, "mapNode">;

const KIND_LABEL: Record<MapNode["kind"], string> = { service: "service", queue: "queue", peer: "external" };

/** A service (coloured swatch), a queue (pill with a queue glyph) or an external peer (dashed). */
export function MapNodeView({ data }: NodeProps<MapFlowNode>) {
  const { node, isSelected } = data;
  const errorRate = node.inCalls > 0 ? node.inErrors / node.inCalls : 0;
  const shape = node.kind === "queue" ? "rounded-full" : "rounded-md";
  const border = node.kind === "peer" ? "border-dashed" : "border-solid";
  return (
    <div
      data-testid="map-node"
      data-node-kind={node.kind}
      data-node-name={node.name}
      className={`flex h-12 w-[168px] items-center gap-2 border bg-bg px-3 shadow-sm ${shape} ${border} ${
        isSelected ? "border-accent ring-2 ring-accent/40" : "border-line-strong"
      }`}
    >
      <Handle type="target" position={Position.Left} className="!size-1.5 !border-0 !bg-line-strong" />
      {node.kind === "queue" ? (
        <span aria-hidden className="font-mono text-[13px] text-muted">☰</span>
      ) : (
        <span aria-hidden className="inline-block size-2.5 shrink-0 rounded-full"
          style={{ background: node.kind === "service" ? serviceColor(node.name) : "var(--fg-muted)" }} />
      )}
      <div className="min-w-0 flex-1">
        <div className="truncate text-[12.5px] font-medium leading-4 text-fg" title={node.name}>{node.name}</div>
        <div className="truncate text-[10.5px] leading-4 text-muted">
          {KIND_LABEL[node.kind]}
          {node.inCalls > 0 && ` · ${node.inCalls} in`}
          {node.inErrors > 0 && <span className="text-danger"> · {formatPercent(errorRate)} err</span>}
        </div>
      </div>
      <Handle type="source" position={Position.Right} className="!size-1.5 !border-0 !bg-line-strong" />
    </div>
  );
}
