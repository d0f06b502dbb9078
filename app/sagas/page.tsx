import type { Metadata } from "next";
import { Suspense } from "react";
import { SagaList } from "./saga-list.tsx";

export const metadata: Metadata = { title: "Sagas" };

/** /sagas?status=&style=&q= — every saga rebuilt from its spans, live; filters in the URL. */
export default function SagasPage() {
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading sagas…</div>}>
      <SagaList />
    </Suspense>
  );
}
