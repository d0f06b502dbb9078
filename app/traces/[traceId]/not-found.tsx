import Link from "next/link";
import { StatePanel } from "../../components/state-panel.tsx";

/** 404 of /traces/<id>: the id is not a trace id, or no span of that trace is stored. */
export default function TraceNotFound() {
  return (
    <StatePanel title="Trace not found" testId="not-found">
      No spans are stored for this trace id. The trace may have been deleted, or the id is mistyped.{" "}
      <Link href="/traces" className="text-accent underline">
        Back to traces
      </Link>
    </StatePanel>
  );
}
