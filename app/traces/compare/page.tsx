import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareTracesView } from "./compare-traces-view.tsx";

export const metadata: Metadata = { title: "Compare traces" };

/** /traces/compare?ids=<a>,<b>[,...] — two to four traces side by side, each diffed against the first. */
export default function CompareTracesPage() {
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading comparison…</div>}>
      <CompareTracesView />
    </Suspense>
  );
}
