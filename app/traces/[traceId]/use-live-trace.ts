"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { nsToMs } from "../../../server/trace/format.ts";
import { useTRPC } from "../../lib/trpc.ts";

const POLL_MS = 1_000;
/** Consecutive polls without a new span after which the trace counts as complete. */
const STABLE_POLLS = 5;
/** Older traces are not polled at all: their spans have long been exported. */
const LIVE_WINDOW_MS = 2 * 60_000;

/**
 * The trace's span tree, refetched every second while spans are still arriving (a new trace
 * receives its async consumer spans after the first load) and left alone once stable.
 */
export function useLiveTrace(traceId: string) {
  const trpc = useTRPC();
  const [stablePolls, setStablePolls] = useState(0);
  const lastCount = useRef<number | null>(null);
  const [isLive, setIsLive] = useState(true);

  const query = useQuery(
    trpc.traces.get.queryOptions(
      { traceId, view: "tree" },
      { refetchInterval: isLive ? POLL_MS : false, refetchOnWindowFocus: false },
    ),
  );
  const data = query.data?.view === "tree" ? query.data : undefined;

  useEffect(() => {
    if (!data) return;
    const count = data.tree.rows.length;
    if (count === lastCount.current) setStablePolls((n) => n + 1);
    else {
      lastCount.current = count;
      setStablePolls(0);
    }
  }, [data, query.dataUpdatedAt]);

  useEffect(() => {
    if (!data) return;
    const isRecent = Date.now() - nsToMs(data.tree.traceStartNs) < LIVE_WINDOW_MS;
    setIsLive(isRecent && stablePolls < STABLE_POLLS);
  }, [data, stablePolls]);

  return { query, tree: data?.tree, isLive: isLive && Boolean(data) };
}
