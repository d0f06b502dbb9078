import type { Metadata } from "next";
import { Suspense } from "react";
import { MapView } from "./map-view.tsx";

export const metadata: Metadata = { title: "Service map" };

/** /map?window=15m&focus=<service>&select=<node or edge id>&expand=<node id>&own=1 — the service map, state in the query string (use-map-params.ts). */
export default function MapPage() {
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading the map…</div>}>
      <MapView />
    </Suspense>
  );
}
