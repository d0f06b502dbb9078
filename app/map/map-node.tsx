"use client";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { MapNode } from "../../server/service-map/types.ts";
import { serviceColor } from "../lib/service-colors.ts";
import { formatMs, formatPercent } from "./format.ts";
import { INSTANCE_ROW_HEIGHT, NODE_LABEL_PX, NODE_WIDTH, nodeSize } from "./layout-graph.ts";

export type MapFlowNode = Node<{
  node: MapNode;
  isSelected: boolean;
  isExpanded: boolean;
  isFocus: boolean;
  onToggleExpand: (id: string) => void;
}, "mapNode">;

const KIND_LABEL: Record<MapNode["kind"], string> = { service: "service", queue: "queue", peer: "external" };

/** What the node's open/close button says, or null when there is nothing to open. */
function expandLabel(node: MapNode, isExpanded: boolean): { text: string; title: string } | null {
  const instances = node.instances?.length ?? 0;
  if (node.kind === "service" && instances > 1) {
    return { text: `${instances} ${isExpanded ? "▾" : "▸"}`, title: `${isExpanded ? "Hide" : "Show"} the ${instances} instances of ${node.name}` };
  }
  const members = node.members?.length ?? 0;
  if (node.kind === "queue" && members > 1) return { text: `${members} ▸`, title: `Draw the ${members} queues of ${node.name} apart` };
  return null;
}

function InstanceRows({ node }: { node: MapNode }) {
  return (
    <ul className="mt-2 flex flex-col border-t border-line pt-1" data-testid="map-instances">
      {(node.instances ?? []).map((i) => (
        <li key={i.id} data-testid="map-instance" className="flex items-center gap-2 text-[12px]" style={{ height: INSTANCE_ROW_HEIGHT }}>
          <span className="min-w-0 flex-1 truncate font-mono" title={i.id}>{i.id}</span>
          <span className="shrink-0 text-muted" title={`${i.requests} requests served, average ${formatMs(i.avgMs)}`}>{i.requests} req</span>
          {i.errors > 0 && <span className="shrink-0 text-danger">{formatPercent(i.errors / Math.max(1, i.requests))}</span>}
        </li>
      ))}
    </ul>
  );
}

/** A service (coloured swatch), a queue or topic (pill with a queue glyph) or an external peer (dashed). */
export function MapNodeView({ data }: NodeProps<MapFlowNode>) {
  const { node, isSelected, isExpanded, isFocus, onToggleExpand } = data;
  const errorRate = node.inCalls > 0 ? node.inErrors / node.inCalls : 0;
  const shape = node.kind === "queue" ? "rounded-3xl" : "rounded-md";
  const border = node.kind === "peer" ? "border-dashed" : "border-solid";
  const expand = expandLabel(node, isExpanded);
  const showInstances = isExpanded && node.kind === "service" && (node.instances?.length ?? 0) > 0;
  const ring = isSelected ? "border-accent ring-2 ring-accent/40" : isFocus ? "border-accent" : "border-line-strong";
  return (
    <div
      data-testid="map-node"
      data-node-kind={node.kind}
      data-node-name={node.name}
      data-expanded={isExpanded || undefined}
      className={`flex flex-col justify-center border bg-bg px-3 shadow-sm ${shape} ${border} ${ring}`}
      style={{ width: NODE_WIDTH, height: nodeSize(node, isExpanded).height }}
    >
      <Handle type="target" position={Position.Left} className="!size-1.5 !border-0 !bg-line-strong" />
      <div className="flex items-center gap-2">
        {node.kind === "queue" ? (
          <span aria-hidden className="font-mono text-[14px] text-muted">☰</span>
        ) : (
          <span aria-hidden className="inline-block size-3 shrink-0 rounded-full"
            style={{ background: node.kind === "service" ? serviceColor(node.name) : "var(--fg-muted)" }} />
        )}
        <div className="min-w-0 flex-1">
          <div data-testid="map-node-label" className="truncate font-medium leading-5 text-fg" style={{ fontSize: NODE_LABEL_PX }} title={node.name}>
            {node.name}
          </div>
          <div className="truncate text-[12px] leading-4 text-muted">
            {node.members && node.members.length > 1 ? `topic · ${node.members.length} queues` : KIND_LABEL[node.kind]}
            {node.inCalls > 0 && ` · ${node.inCalls} in`}
            {node.inErrors > 0 && <span className="text-danger"> · {formatPercent(errorRate)} err</span>}
          </div>
        </div>
        {expand && (
          <button type="button" title={expand.title} aria-label={expand.title} aria-expanded={isExpanded}
            data-testid="map-node-expand"
            className="nodrag nopan shrink-0 rounded border border-line px-1.5 text-[12px] text-muted hover:bg-hover hover:text-fg"
            onClick={(event) => {
              event.stopPropagation();
              onToggleExpand(node.id);
            }}>
            {expand.text}
          </button>
        )}
      </div>
      {showInstances && <InstanceRows node={node} />}
      <Handle type="source" position={Position.Right} className="!size-1.5 !border-0 !bg-line-strong" />
    </div>
  );
}
