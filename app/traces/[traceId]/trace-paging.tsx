"use client";
import type { LoadedTrace } from "../../../server/trace/trace-pages.ts";

const count = (n: number) => n.toLocaleString("en-US");

type Props = {
  loaded: LoadedTrace;
  isLoadingMore: boolean;
  /** The last page failed: its message, shown with a retry. */
  pageError: string | null;
  onLoadMore: () => void;
  onRetry: () => void;
};

/**
 * Shown while a big trace is only partly loaded: how many of its spans the waterfall holds, and
 * either the pages still coming in or a button for the next ones. Hidden once every span is in.
 */
export function TracePaging({ loaded, isLoadingMore, pageError, onLoadMore, onRetry }: Props) {
  if (loaded.isComplete) return null;
  const button = "rounded border border-line px-2 py-0.5 font-medium hover:bg-hover";
  return (
    <div className="flex flex-wrap items-center gap-3 border-b border-line bg-subtle px-4 py-1.5 text-[12px]" data-testid="trace-paging" role="status">
      <span className="font-medium tabular-nums">
        Showing {count(loaded.loadedSpans)} of {count(loaded.totalSpans)} spans
      </span>
      {pageError ? (
        <>
          <span className="text-danger">The next spans could not be loaded: {pageError}</span>
          <button type="button" className={button} onClick={onRetry}>
            Retry
          </button>
        </>
      ) : isLoadingMore ? (
        <span className="inline-flex items-center gap-1.5 text-muted">
          <span className="size-1.5 animate-pulse rounded-full bg-accent" /> loading more…
        </span>
      ) : (
        <button type="button" className={button} onClick={onLoadMore} data-testid="trace-load-more">
          Load more spans
        </button>
      )}
      <span className="text-muted">Spans whose parent is not loaded yet are shown at the top level until it is.</span>
    </div>
  );
}
