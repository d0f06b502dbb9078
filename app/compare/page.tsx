import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareView } from "./compare-view.tsx";

export const metadata: Metadata = { title: "Compare" };

/** /compare?orders=a,b,c,d or ?traces=x,y — the same order under several styles, side by side. */
export default function ComparePage() {
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading comparison…</div>}>
      <CompareView />
    </Suspense>
  );
}
