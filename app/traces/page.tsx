import type { Metadata } from "next";
import { Suspense } from "react";
import { TraceList } from "./trace-list.tsx";

export const metadata: Metadata = { title: "Traces" };

/** /traces?service=&op=&errors=1&q=&minDuration=&maxDuration=&since=|from=&to=&limit= — the live trace list and its search; filters live in the query string (use-trace-filters.ts). */
export default function TracesPage() {
  // useSearchParams needs a Suspense boundary so the shell can still be prerendered.
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading traces…</div>}>
      <TraceList />
    </Suspense>
  );
}
