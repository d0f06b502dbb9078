import type { Metadata } from "next";
import { SagaOfOrder } from "./saga-of-order.tsx";

type Props = { params: Promise<{ orderId: string }> };

export const metadata: Metadata = { title: "Saga of order" };

/** /sagas/order/<orderId> — opens the saga an order runs as, once its first span is stored. */
export default async function SagaOfOrderPage({ params }: Props) {
  const { orderId } = await params;
  return <SagaOfOrder orderId={orderId} />;
}
