import type { Metadata } from "next";
import { Suspense } from "react";
import { BreakerList } from "./breaker-list.tsx";

export const metadata: Metadata = { title: "Breakers" };

/** /breakers?minutes=15 — every circuit breaker, rebuilt from stored spans, live. */
export default function BreakersPage() {
  // useSearchParams needs a Suspense boundary so the shell can still be prerendered.
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading breakers…</div>}>
      <BreakerList />
    </Suspense>
  );
}
