import type { SpanTree } from "../../../server/trace/types.ts";
import { formatDuration, nsToMs } from "../../lib/format.ts";
import { ServiceChip } from "../../components/service-chip.tsx";
import { TraceTabs } from "./flow/flow-view.tsx";
import type { CriticalPath } from "../../../server/trace/critical-path.ts";
import { DURATIONS, responseTimeNs, traceDurationNs } from "../../../server/trace/durations.ts";

function signed(ns: number): string {
  return `${ns >= 0 ? "+" : "−"}${formatDuration(Math.abs(ns))}`;
}

type Props = {
  traceId: string;
  tree: SpanTree;
  /** Spans stored for the trace; more than the tree holds while pages are still loading. */
  totalSpans: number;
  isComplete: boolean;
  isLive: boolean;
  selectedKey: string | null;
  onSelect: (key: string) => void;
  /** Shown when not null (URL `?cp=1`). */
  criticalPath: CriticalPath | null;
  onToggleCriticalPath: () => void;
};

/**
 * The span of `service` after the selected one in tree order (wrapping), so repeated clicks on a
 * service's chip walk through its spans, however deep in a large trace they sit.
 */
function nextSpanOf(tree: SpanTree, service: string, selectedKey: string | null): string | null {
  const from = selectedKey ? tree.rows.findIndex((r) => r.key === selectedKey) : -1;
  const n = tree.rows.length;
  for (let step = 1; step <= n; step++) {
    const row = tree.rows[(from + step + n) % n]!;
    if (row.span.serviceName === service) return row.key;
  }
  return null;
}

/** Trace facts at a glance, plus any repairs made while rebuilding it (skew, orphans, ...). */
export function TraceHeader({ traceId, tree, totalSpans, isComplete, isLive, selectedKey, onSelect, criticalPath, onToggleCriticalPath }: Props) {
  const root = tree.rows[0]?.span;
  const errorCount = tree.rows.filter((r) => r.span.status.code === "ERROR").length;
  const perService = new Map<string, number>();
  for (const row of tree.rows) perService.set(row.span.serviceName, (perService.get(row.span.serviceName) ?? 0) + 1);
  const { orphanCount, duplicateCount, cycleCount } = tree.issues;
  const started = new Date(nsToMs(tree.traceStartNs));
  const response = responseTimeNs(tree.rows);

  return (
    <div className="border-b border-line px-4 py-2.5">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-[15px] font-semibold" data-testid="trace-root-name">
          {root ? `${root.serviceName}: ${root.name}` : "Trace"}
        </h1>
        <span className="font-mono text-[12px] text-muted" data-testid="trace-id">
          {traceId}
        </span>
        <TraceTabs traceId={traceId} active="waterfall" />
        <button
          type="button"
          aria-pressed={criticalPath !== null}
          onClick={onToggleCriticalPath}
          className={`rounded border px-2 py-0.5 text-[12px] ${criticalPath ? "border-fg bg-fg text-bg" : "border-line text-muted hover:text-fg"}`}
          title="Highlight the chain of spans that decided when the trace ended (async hops included)"
        >
          Critical path
        </button>
        <a
          href={`/api/traces/${traceId}/otlp`}
          download
          className="rounded border border-line px-2 py-0.5 text-[12px] text-muted hover:text-fg"
          title="The stored spans as an OTLP/JSON file, which any OTLP/HTTP receiver takes back"
        >
          Download OTLP JSON
        </a>
        <a
          href={`/api/traces/${traceId}/jaeger`}
          download
          className="rounded border border-line px-2 py-0.5 text-[12px] text-muted hover:text-fg"
          title="The stored spans in Jaeger's JSON model, as Jaeger UI's Download JSON gives (Jaeger UI opens it)"
        >
          Download Jaeger JSON
        </a>
        {isLive && (
          <span className="inline-flex items-center gap-1.5 text-[12px] text-ok" title="Still receiving spans">
            <span className="size-1.5 animate-pulse rounded-full bg-ok" /> live
          </span>
        )}
      </div>
      <dl className="mt-1.5 flex flex-wrap items-center gap-x-5 gap-y-1 text-[12px]">
        <Fact label={DURATIONS.traceDuration.label} value={formatDuration(traceDurationNs(tree.rows))} title={DURATIONS.traceDuration.definition} testId="trace-duration" />
        {response !== null && (
          <Fact label={DURATIONS.responseTime.label} value={formatDuration(response)} title={DURATIONS.responseTime.definition} testId="trace-response-time" />
        )}
        <Fact
          label="Spans"
          value={isComplete ? tree.rows.length.toLocaleString("en-US") : `${tree.rows.length.toLocaleString("en-US")} of ${totalSpans.toLocaleString("en-US")}`}
        />
        <Fact label="Errors" value={String(errorCount)} tone={errorCount > 0 ? "danger" : undefined} />
        <Fact label="Started" value={started.toLocaleString()} title={started.toISOString()} />
        {criticalPath && (
          <Fact
            label="Critical path"
            value={`${formatDuration(criticalPath.activeNs)} in ${criticalPath.rowIndexes.size} spans + ${formatDuration(criticalPath.waitingNs)} waiting`}
            title="Time in the spans on the path, and time on it when none of them ran (queued messages, gaps between calls)"
          />
        )}
        <div className="flex flex-wrap gap-1">
          {tree.services.map((name) => (
            <button
              key={name}
              type="button"
              data-testid="service-jump"
              data-service={name}
              title={`Go to the next ${name} span`}
              className="rounded hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent"
              onClick={() => {
                const key = nextSpanOf(tree, name, selectedKey);
                if (key) onSelect(key);
              }}
            >
              <ServiceChip name={name} count={perService.get(name)} />
            </button>
          ))}
        </div>
      </dl>
      {(tree.adjustments.length > 0 || orphanCount + duplicateCount + cycleCount > 0) && (
        <div className="mt-2 flex flex-wrap gap-2 text-[12px]" data-testid="trace-notices">
          {tree.adjustments.length > 0 && (
            <span
              className="rounded bg-warn-bg px-2 py-0.5 text-warn"
              data-testid="skew-notice"
              title="Spans from another host whose clock disagrees are moved into their parent's window (spans of one host never are)"
            >
              Clock skew corrected:{" "}
              {tree.adjustments
                .map((a) => {
                  const shift = a.minDeltaNs === a.maxDeltaNs ? signed(a.minDeltaNs) : `${signed(a.minDeltaNs)} … ${signed(a.maxDeltaNs)}`;
                  return `${a.serviceName} ${shift} (${a.spanCount} span${a.spanCount > 1 ? "s" : ""})`;
                })
                .join(", ")}
            </span>
          )}
          {orphanCount > 0 && (
            <Notice
              text={`${orphanCount} span(s) with a ${isComplete ? "missing parent" : "parent not loaded (yet)"}, shown at the top level`}
            />
          )}
          {duplicateCount > 0 && <Notice text={`${duplicateCount} duplicate span id(s)`} />}
          {cycleCount > 0 && <Notice text={`${cycleCount} parent cycle(s) broken`} />}
        </div>
      )}
    </div>
  );
}

function Fact({ label, value, title, tone, testId }: { label: string; value: string; title?: string; tone?: "danger"; testId?: string }) {
  return (
    <div className="flex gap-1.5" title={title} data-testid={testId}>
      <dt className={`text-muted ${title ? "cursor-help underline decoration-dotted underline-offset-2" : ""}`}>{label}</dt>
      <dd className={`font-medium tabular-nums ${tone === "danger" ? "text-danger" : ""}`}>{value}</dd>
    </div>
  );
}

function Notice({ text }: { text: string }) {
  return <span className="rounded bg-warn-bg px-2 py-0.5 text-warn">{text}</span>;
}
