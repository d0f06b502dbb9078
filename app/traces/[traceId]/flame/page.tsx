import type { Metadata } from "next";
import { Suspense } from "react";
import { FlameView } from "./flame-view.tsx";

type Props = { params: Promise<{ traceId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Flame graph ${traceId.slice(0, 8)}` };
}

/** /traces/<traceId>/flame?focus=<frame;frame;...> — spans merged by stack, zoomed into a frame. */
export default async function FlamePage({ params }: Props) {
  const { traceId } = await params;
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading trace…</div>}>
      <FlameView traceId={traceId} />
    </Suspense>
  );
}
