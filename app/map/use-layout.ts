"use client";
import { useEffect, useState } from "react";
import type { ServiceGraph } from "../../server/service-map/types.ts";
import { layoutGraph, structureKey, type GraphLayout } from "./layout-graph.ts";

/**
 * ELK positions and edge routes for the graph, recomputed only when nodes or edges appear or
 * disappear or a node changes size (`expanded`: services drawn with their instances).
 */
export function useLayout(graph: ServiceGraph | undefined, expanded: ReadonlySet<string>): { layout: GraphLayout | null; isCurrent: boolean; error: string | null } {
  const key = graph ? structureKey(graph.nodes, graph.edges, expanded) : "";
  const [state, setState] = useState<{ key: string; layout: GraphLayout | null; error: string | null }>({ key: "", layout: null, error: null });
  useEffect(() => {
    if (!graph || key === state.key) return;
    let cancelled = false;
    layoutGraph(graph.nodes, graph.edges, expanded).then(
      (layout) => !cancelled && setState({ key, layout, error: null }),
      (err: unknown) => !cancelled && setState({ key, layout: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      cancelled = true;
    };
    // `graph` and `expanded` change identity on every refresh; only the structure (key) matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  // Until the new layout is ready the previous one stays drawn (the canvas skips nodes it lacks).
  return { layout: state.layout, isCurrent: state.key === key, error: state.error };
}
