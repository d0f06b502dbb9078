import { StatePanel } from "../../components/state-panel.tsx";
import { TraceWait } from "./trace-wait.tsx";

/**
 * 404 of /traces/<id>: the id is not a trace id, or no span of that trace is stored. A trace
 * linked right after its order was placed is often not stored yet (spans are batched for a few
 * seconds before export), so for a well-formed id the page keeps checking for a while and opens
 * the trace as soon as its first spans arrive.
 */
export default function TraceNotFound() {
  return (
    <StatePanel title="Trace not found" testId="not-found">
      <TraceWait />
    </StatePanel>
  );
}
