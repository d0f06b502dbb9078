import Link from "next/link";
import { StatePanel } from "./components/state-panel.tsx";

/** 404 for any unknown URL, and for trace ids that do not exist. */
export default function NotFound() {
  return (
    <StatePanel title="Not found" testId="not-found">
      Nothing lives at this address. The trace may have been deleted, or the id is mistyped.{" "}
      <Link href="/traces" className="text-accent underline">
        Back to traces
      </Link>
    </StatePanel>
  );
}
