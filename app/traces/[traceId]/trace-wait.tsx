"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";

const TRACE_ID = /^[0-9a-f]{32}$/;
/** How long the page keeps looking for a trace that is not stored (yet). */
export const TRACE_WAIT_MS = 30_000;
const POLL_MS = 1_500;

/**
 * Body of the trace 404. For a well-formed id it asks every 1.5 s, for {@link TRACE_WAIT_MS}, whether
 * the trace is stored, and reloads the page once it is: the server then renders the trace (a 200).
 * A reload rather than `router.refresh()`, because Next keeps a not-found boundary shown until
 * the pathname changes.
 */
export function TraceWait() {
  const traceId = usePathname().split("/")[2] ?? "";
  const wellFormed = TRACE_ID.test(traceId);
  const [waiting, setWaiting] = useState(wellFormed);
  const trpc = useTRPC();
  const stored = useQuery({
    ...trpc.traces.stored.queryOptions({ traceId }),
    enabled: waiting,
    retry: false,
    refetchInterval: waiting ? POLL_MS : false,
  });
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setWaiting(false), TRACE_WAIT_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
  useEffect(() => {
    if (stored.data) window.location.reload();
  }, [stored.data]);

  return (
    <>
      <p>
        No spans are stored for this trace id{wellFormed ? " yet" : ""}. The trace may have been deleted, or the id is mistyped.{" "}
        <Link href="/traces" className="text-accent underline">
          Back to traces
        </Link>
      </p>
      {wellFormed && (
        <p data-testid="trace-wait" className="mt-2 text-[12px]">
          {stored.data
            ? "Its spans have arrived; opening it…"
            : waiting
              ? "Spans reach the collector a few seconds after the work they describe: checking again until they arrive…"
              : `Checked for ${TRACE_WAIT_MS / 1000} s; reload the page to look again.`}
        </p>
      )}
    </>
  );
}
