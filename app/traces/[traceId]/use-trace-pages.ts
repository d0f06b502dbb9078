"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { nsToMs } from "../../lib/format.ts";
import { mergeTracePages, type SpanPage } from "../../../server/trace/trace-pages.ts";
import { useTRPC } from "../../lib/trpc.ts";

const POLL_MS = 1_000;
/** Consecutive polls without a new span after which the trace counts as complete. */
const STABLE_POLLS = 5;
/** Older traces are not polled at all: their spans have long been exported. */
const LIVE_WINDOW_MS = 2 * 60_000;
/** Spans loaded page after page without asking; beyond, each "load more" adds this many again. */
export const AUTO_LOAD_SPANS = 10_000;

/**
 * The trace's spans, read page by page (the server answers at most 2,000 spans a call) and merged
 * into one tree as they come: the first page is drawn at once, the next pages follow on their own
 * up to {@link AUTO_LOAD_SPANS}, then on request. A trace that fits in one page is refetched every
 * second while spans are still arriving (a new trace receives its async consumer spans after the
 * first load) and left alone once stable; a bigger one is not polled, as that would re-read every
 * page each second.
 */
export function useTracePages(traceId: string) {
  const trpc = useTRPC();
  const [stablePolls, setStablePolls] = useState(0);
  const lastCount = useRef<number | null>(null);
  const [isLive, setIsLive] = useState(true);
  const [loadTarget, setLoadTarget] = useState(AUTO_LOAD_SPANS);

  const query = useInfiniteQuery(
    trpc.traces.get.infiniteQueryOptions(
      { traceId, view: "spans" },
      {
        getNextPageParam: (page) => page.nextCursor,
        refetchInterval: (q) => (isLive && (q.state.data?.pages.length ?? 0) <= 1 ? POLL_MS : false),
        refetchOnWindowFocus: false,
      },
    ),
  );
  const pages = query.data?.pages;
  const loaded = useMemo(
    () => mergeTracePages((pages ?? []).flatMap((p): SpanPage[] => (p.view === "spans" ? [p] : []))),
    [pages],
  );

  // Automatic continuation: one page at a time, never while a refetch or a page is in flight.
  const { hasNextPage, isFetching, isError, fetchNextPage } = query;
  const loadedSpans = loaded?.loadedSpans ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetching && !isError && loadedSpans < loadTarget) void fetchNextPage();
  }, [hasNextPage, isFetching, isError, loadedSpans, loadTarget, fetchNextPage]);
  const loadMore = useCallback(() => setLoadTarget(loadedSpans + AUTO_LOAD_SPANS), [loadedSpans]);

  useEffect(() => {
    if (!loaded) return;
    if (loaded.totalSpans === lastCount.current) setStablePolls((n) => n + 1);
    else {
      lastCount.current = loaded.totalSpans;
      setStablePolls(0);
    }
  }, [loaded, query.dataUpdatedAt]);

  useEffect(() => {
    if (!loaded) return;
    const isRecent = Date.now() - nsToMs(loaded.tree.traceStartNs) < LIVE_WINDOW_MS;
    setIsLive(isRecent && stablePolls < STABLE_POLLS);
  }, [loaded, stablePolls]);

  return {
    query,
    loaded,
    isLive: isLive && Boolean(loaded) && (pages?.length ?? 0) <= 1,
    /** Whether more pages are being read now (automatically or after `loadMore`). */
    isLoadingMore: query.isFetchingNextPage || (hasNextPage && !isError && loadedSpans < loadTarget),
    loadMore,
    /** A later page failed: the pages already in stay drawn, and this asks again. */
    retryPage: () => void fetchNextPage(),
  };
}
