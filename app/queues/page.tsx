import type { Metadata } from "next";
import { Suspense } from "react";
import { QueueList } from "./queue-list.tsx";

export const metadata: Metadata = { title: "Queues" };

/** /queues?search=&page= — every BullMQ queue of the sandbox with its counts per state and throughput. */
export default function QueuesPage() {
  // useSearchParams needs a Suspense boundary so the shell can still be prerendered.
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading queues…</div>}>
      <QueueList />
    </Suspense>
  );
}
