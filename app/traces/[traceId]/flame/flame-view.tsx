"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { ancestorsOf, buildFlameGraph } from "../../../../server/trace/flame-graph.ts";
import { DURATIONS } from "../../../../server/trace/durations.ts";
import { StatePanel } from "../../../components/state-panel.tsx";
import { errorMessageOf } from "../../../lib/errors.ts";
import { formatDuration } from "../../../lib/format.ts";
import { TraceTabs } from "../flow/flow-view.tsx";
import { useTracePages } from "../use-trace-pages.ts";
import { FlameChart } from "./flame-chart.tsx";

/**
 * Where a trace's time went by stack: spans with the same chain of `service: operation` from the
 * root merged into one frame, as wide as their total time. `?focus=<path>` zooms into a frame (a
 * click does it); the frames above it stay as the way back.
 */
export function FlameView({ traceId }: { traceId: string }) {
  const { query, loaded, isLoadingMore } = useTracePages(traceId);
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const tree = loaded?.tree;
  // Built once per loaded tree; zooming only changes which part of it is drawn.
  const graph = useMemo(() => (tree ? buildFlameGraph(tree.rows) : null), [tree]);
  const focusParam = params.get("focus") ?? "";
  const focus = graph?.byPath.get(focusParam);
  const setFocus = useCallback(
    (path: string) => router.push(path ? `${pathname}?${new URLSearchParams({ focus: path })}` : pathname, { scroll: false }),
    [router, pathname],
  );

  if (query.isPending) return <div className="p-4 text-muted">Loading trace…</div>;
  if (!tree || !graph) {
    return (
      <StatePanel title="Could not load this trace" tone="danger" testId="trace-error">
        {errorMessageOf(query.error)}
      </StatePanel>
    );
  }
  const focused = graph.nodes[focus ?? 0]!;
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="flame-view">
      <div className="border-b border-line px-4 py-2.5">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h1 className="text-[15px] font-semibold">Flame graph</h1>
          <span className="font-mono text-[12px] text-muted">{traceId}</span>
          <TraceTabs traceId={traceId} active="flame" />
          <button
            type="button"
            onClick={() => setFocus("")}
            disabled={focused.depth === 0}
            className="rounded border border-line px-2 py-0.5 text-[12px] text-muted enabled:hover:text-fg disabled:opacity-50"
            data-testid="flame-reset"
          >
            Reset zoom
          </button>
        </div>
        <p className="mt-1 text-[12px] text-muted">
          {tree.rows.length.toLocaleString("en-US")} spans in {(graph.nodes.length - 1).toLocaleString("en-US")} stacks
          {isLoadingMore ? " (more loading…)" : ""}. A frame is as wide as its{" "}
          <abbr title={DURATIONS.totalTime.definition}>total time</abbr> (wider when its children ran in parallel); the part with nothing below is its{" "}
          <abbr title={DURATIONS.selfTime.definition}>self time</abbr>. Colour = service. Click a frame to zoom in.
        </p>
        {focusParam !== "" && focus === undefined && (
          <p className="mt-1 text-[12px] text-warn" data-testid="flame-unknown-focus">
            No stack “{focusParam}” in this trace; showing the whole trace.
          </p>
        )}
        {focused.depth > 0 && (
          <nav aria-label="Zoomed frame" className="mt-1 flex flex-wrap items-center gap-1 text-[12px]" data-testid="flame-breadcrumb">
            {ancestorsOf(graph, focus!).map((i, n) => (
              <span key={i} className="flex items-center gap-1">
                {n > 0 && <span className="text-muted">›</span>}
                <Link href={i === 0 ? pathname : `${pathname}?${new URLSearchParams({ focus: graph.nodes[i]!.path })}`} className="text-accent hover:underline" scroll={false}>
                  {i === 0 ? "all" : `${graph.nodes[i]!.service}: ${graph.nodes[i]!.operation}`}
                </Link>
              </span>
            ))}
            <span className="ml-2 text-muted tabular-nums">
              total {formatDuration(focused.totalNs)} · self {formatDuration(focused.selfNs)} · {focused.count} span{focused.count > 1 ? "s" : ""}
            </span>
          </nav>
        )}
      </div>
      <FlameChart graph={graph} focus={focus ?? 0} onFocus={setFocus} />
    </div>
  );
}
