import type { Metadata } from "next";
import { Suspense } from "react";
import { StatsView } from "./stats-view.tsx";

type Props = { params: Promise<{ traceId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Statistics ${traceId.slice(0, 8)}` };
}

/** /traces/<traceId>/stats?by=service|operation&sort=self|total|count|max|errors — time per service or operation. */
export default async function StatsPage({ params }: Props) {
  const { traceId } = await params;
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading trace…</div>}>
      <StatsView traceId={traceId} />
    </Suspense>
  );
}
