import type { Metadata } from "next";
import { SagaView } from "./saga-view.tsx";

type Props = { params: Promise<{ sagaId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { sagaId } = await params;
  return { title: `Saga ${decodeURIComponent(sagaId).slice(0, 8)}` };
}

/** /sagas/<sagaId> — one saga's steps, compensations and resumes, rebuilt from its spans. */
export default async function SagaPage({ params }: Props) {
  const { sagaId } = await params;
  return <SagaView sagaId={decodeURIComponent(sagaId)} />;
}
