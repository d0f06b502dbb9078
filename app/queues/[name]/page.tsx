import type { Metadata } from "next";
import { Suspense } from "react";
import { QueueJobs } from "../queue-jobs.tsx";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Queue ${decodeURIComponent((await params).name)}` };
}

/** /queues/<name>?state=failed&page=&open= — one queue's jobs per state; retry, promote, remove, clean. */
export default async function QueuePage({ params }: Props) {
  const name = decodeURIComponent((await params).name);
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading jobs…</div>}>
      <QueueJobs name={name} />
    </Suspense>
  );
}
