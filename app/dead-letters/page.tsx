import type { Metadata } from "next";
import { Suspense } from "react";
import { DeadLetterList } from "./dead-letter-list.tsx";

export const metadata: Metadata = { title: "Dead letters" };

/** /dead-letters?queue=&reason=&replayed=&open= — dead-lettered messages, rebuilt from spans; replay. */
export default function DeadLettersPage() {
  // useSearchParams needs a Suspense boundary so the shell can still be prerendered.
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading dead letters…</div>}>
      <DeadLetterList />
    </Suspense>
  );
}
