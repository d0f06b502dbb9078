"use client";
import { useEffect, useState } from "react";
import type { ServiceGraph } from "../../server/service-map/types.ts";
import { layoutGraph, structureKey, type GraphLayout } from "./layout-graph.ts";

/** ELK positions and edge routes for the graph, recomputed only when nodes or edges appear or disappear. */
export function useLayout(graph: ServiceGraph | undefined): { layout: GraphLayout | null; error: string | null } {
  const key = graph ? structureKey(graph.nodes, graph.edges) : "";
  const [state, setState] = useState<{ key: string; layout: GraphLayout | null; error: string | null }>({ key: "", layout: null, error: null });
  useEffect(() => {
    if (!graph || key === state.key) return;
    let cancelled = false;
    layoutGraph(graph.nodes, graph.edges).then(
      (layout) => !cancelled && setState({ key, layout, error: null }),
      (err: unknown) => !cancelled && setState({ key, layout: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      cancelled = true;
    };
    // `graph` changes on every refresh; only its structure (key) matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { layout: state.layout, error: state.error };
}
