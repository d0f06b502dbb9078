import type { Metadata } from "next";
import Link from "next/link";
import { StatePanel } from "./components/state-panel.tsx";

export const metadata: Metadata = { title: "Not found" };

/** 404 for any unknown URL (a trace id that does not exist has its own, in app/traces/[traceId]). */
export default function NotFound() {
  return (
    <StatePanel title="Page not found" testId="not-found">
      Nothing lives at this address. Check the URL, or pick a section on the left.{" "}
      <Link href="/traces" className="text-accent underline">
        Back to traces
      </Link>
    </StatePanel>
  );
}
