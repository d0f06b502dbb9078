"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { StatePanel } from "../../components/state-panel.tsx";
import { errorCodeOf, errorMessageOf } from "../../lib/errors.ts";
import { SpanDetail } from "./span-detail.tsx";
import { TraceHeader } from "./trace-header.tsx";
import { TracePaging } from "./trace-paging.tsx";
import { useTracePages } from "./use-trace-pages.ts";
import { criticalPath } from "../../../server/trace/critical-path.ts";
import { Waterfall } from "./waterfall.tsx";

/**
 * One trace: header, waterfall and, when `?span=` is set, that span's details beside it. A big
 * trace is drawn from its first page at once while the rest load (see useTracePages).
 */
export function TraceView({ traceId }: { traceId: string }) {
  const { query, loaded, isLive, isLoadingMore, loadMore, retryPage } = useTracePages(traceId);
  const tree = loaded?.tree;
  const params = useSearchParams();
  const selectedKey = params.get("span");
  const showCriticalPath = params.get("cp") === "1";

  // The native History API keeps Next's useSearchParams in sync without a server round trip.
  const setParam = useCallback((name: string, value: string | null) => {
    const url = new URL(window.location.href);
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
    window.history.replaceState(null, "", url);
  }, []);
  const select = useCallback((key: string | null) => setParam("span", key), [setParam]);
  const toggleCriticalPath = useCallback(() => setParam("cp", showCriticalPath ? null : "1"), [setParam, showCriticalPath]);
  const path = useMemo(() => (tree && showCriticalPath ? criticalPath(tree.rows) : null), [tree, showCriticalPath]);

  const selectedRow = useMemo(
    () => (tree && selectedKey ? (tree.rows.find((r) => r.key === selectedKey) ?? null) : null),
    [tree, selectedKey],
  );

  if (query.isPending) return <div className="p-4 text-muted">Loading trace…</div>;
  if (!loaded || !tree) {
    const isMissing = errorCodeOf(query.error) === "NOT_FOUND";
    return (
      <StatePanel title={isMissing ? "Trace not found" : "Could not load this trace"} tone="danger" testId="trace-error">
        {isMissing ? `No spans are stored for trace ${traceId}.` : errorMessageOf(query.error)}{" "}
        <Link href="/traces" className="text-accent underline">
          Back to traces
        </Link>
      </StatePanel>
    );
  }

  return (
    <div className="flex h-full min-h-0 flex-col">
      <TraceHeader traceId={traceId} tree={tree} totalSpans={loaded.totalSpans} isComplete={loaded.isComplete} isLive={isLive} selectedKey={selectedKey} onSelect={select} criticalPath={path} onToggleCriticalPath={toggleCriticalPath} />
      <TracePaging
        loaded={loaded}
        isLoadingMore={isLoadingMore}
        pageError={query.isFetchNextPageError ? errorMessageOf(query.error) : null}
        onLoadMore={loadMore}
        onRetry={retryPage}
      />
      <div className="flex min-h-0 flex-1">
        <div className="min-w-0 flex-1">
          <Waterfall tree={tree} selectedKey={selectedKey} onSelect={select} criticalPath={path} />
        </div>
        {selectedKey && (
          <aside
            aria-label="Span details"
            data-testid="span-detail"
            className="w-[440px] shrink-0 overflow-y-auto border-l border-line bg-bg"
          >
            {selectedRow ? (
              <SpanDetail row={selectedRow} tree={tree} onClose={() => select(null)} onSelect={select} />
            ) : (
              <StatePanel title="Span not in this trace">
                {loaded.isComplete
                  ? `No span with id ${selectedKey} has arrived${isLive ? " yet" : ""}.`
                  : `No span with id ${selectedKey} is among the spans loaded so far.`}
              </StatePanel>
            )}
          </aside>
        )}
      </div>
    </div>
  );
}
