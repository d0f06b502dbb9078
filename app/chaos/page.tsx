import type { Metadata } from "next";
import { ChaosPanel } from "./chaos-panel.tsx";

export const metadata: Metadata = { title: "Chaos" };

/** /chaos — inject faults (error rate, latency, down, poison messages) live, and end them. */
export default function ChaosPage() {
  return <ChaosPanel />;
}
