import type { Metadata } from "next";
import { OrderForm } from "./order-form.tsx";
import { OrdersTable } from "./orders-table.tsx";

export const metadata: Metadata = { title: "Orders" };

/** /orders — place an order (one click = one trace) and see recent orders with their traces. */
export default function OrdersPage() {
  return (
    <div className="h-full overflow-y-auto">
      <div className="px-4 pt-3">
        <h1 className="text-[15px] font-semibold">Orders</h1>
      </div>
      <OrderForm />
      <OrdersTable />
    </div>
  );
}
