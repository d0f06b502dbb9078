import type { Metadata } from "next";
import { FlowView } from "./flow-view.tsx";

type Props = { params: Promise<{ traceId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Flow ${traceId.slice(0, 8)}` };
}

/** /traces/<traceId>/flow — the trace as a sequence diagram, services as lanes. */
export default async function FlowPage({ params }: Props) {
  const { traceId } = await params;
  return <FlowView traceId={traceId} />;
}
