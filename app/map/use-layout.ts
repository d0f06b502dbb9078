"use client";
import { useEffect, useState } from "react";
import type { ServiceGraph } from "../../server/service-map/types.ts";
import { layoutGraph, structureKey, type Positions } from "./layout-graph.ts";

/** ELK positions for the graph, recomputed only when nodes or edges appear or disappear. */
export function useLayout(graph: ServiceGraph | undefined): { positions: Positions | null; error: string | null } {
  const key = graph ? structureKey(graph.nodes, graph.edges) : "";
  const [state, setState] = useState<{ key: string; positions: Positions | null; error: string | null }>({ key: "", positions: null, error: null });
  useEffect(() => {
    if (!graph || key === state.key) return;
    let cancelled = false;
    layoutGraph(graph.nodes, graph.edges).then(
      (positions) => !cancelled && setState({ key, positions, error: null }),
      (err: unknown) => !cancelled && setState({ key, positions: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      cancelled = true;
    };
    // `graph` changes on every refresh; only its structure (key) matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { positions: state.positions, error: state.error };
}
