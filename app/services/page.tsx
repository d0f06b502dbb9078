import type { Metadata } from "next";
import { Suspense } from "react";
import { ServicesView } from "./services-view.tsx";

export const metadata: Metadata = { title: "Services" };

/** /services?window=15m&q=&page= — every service's instances (filtered by name, paged): health, heartbeat, version, requests served. */
export default function ServicesPage() {
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading services…</div>}>
      <ServicesView />
    </Suspense>
  );
}
