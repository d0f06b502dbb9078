"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { ComparedTrace } from "../../../server/routers/trace-analysis.ts";
import { DURATIONS } from "../../../server/trace/durations.ts";
import { ServiceChip } from "../../components/service-chip.tsx";
import { StatePanel } from "../../components/state-panel.tsx";
import { errorMessageOf } from "../../lib/errors.ts";
import { formatDuration, nsToMs, shortId } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { DiffTable } from "./diff-table.tsx";

const MIN = 2;
const MAX = 4;
const TRACE_ID = /^[0-9a-f]{32}$/;
/** Column letters: A is the trace every other one is diffed against. */
const LETTERS = ["A", "B", "C", "D"] as const;

/** The ids of `?ids=a,b,c` and what is wrong with them, checked before asking the server. */
function parseIds(raw: string | null): { ids: string[]; problem: string | null } {
  const ids = (raw ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = ids.filter((id) => !TRACE_ID.test(id));
  if (bad.length > 0) return { ids, problem: `Not a trace id (32 hex characters): ${bad.join(", ")}` };
  if (new Set(ids).size !== ids.length) return { ids, problem: "A trace is named twice." };
  if (ids.length < MIN || ids.length > MAX) return { ids, problem: `Compare takes ${MIN} to ${MAX} traces; ${ids.length} named.` };
  return { ids, problem: null };
}

/**
 * Two to four traces side by side: summaries in columns, then the structural diff of each trace
 * against the first (A): operation paths present in one and not the other, and per path the span
 * count and time on both sides.
 */
export function CompareTracesView() {
  const trpc = useTRPC();
  const { ids, problem } = parseIds(useSearchParams().get("ids"));
  const query = useQuery(trpc.traceAnalysis.compare.queryOptions({ traceIds: ids }, { enabled: problem === null, retry: false }));

  if (problem) {
    return (
      <StatePanel title="Cannot compare these traces" tone="danger" testId="compare-traces-error">
        {problem} Tick two to four traces in the{" "}
        <Link href="/traces" className="text-accent underline">
          trace list
        </Link>{" "}
        and press Compare.
      </StatePanel>
    );
  }
  if (query.isPending) return <div className="p-4 text-muted">Loading traces…</div>;
  if (query.isError) {
    return (
      <StatePanel title="Could not compare" tone="danger" testId="compare-traces-error">
        {errorMessageOf(query.error)}
      </StatePanel>
    );
  }
  const { traces, missing, diffs } = query.data;
  const letter = (traceId: string) => LETTERS[ids.indexOf(traceId)] ?? "?";
  return (
    <div className="h-full overflow-auto" data-testid="compare-traces">
      <div className="border-b border-line px-4 py-2.5">
        <h1 className="text-[15px] font-semibold">Compare {ids.length} traces</h1>
        <p className="mt-1 text-[12px] text-muted">Each trace is diffed against A by operation path: the chain of service: operation from the root, as in Jaeger&apos;s trace comparison.</p>
        {missing.length > 0 && (
          <p className="mt-1 rounded bg-warn-bg px-2 py-1 text-[12px] text-warn" data-testid="compare-missing">
            No trace stored with id {missing.join(", ")}. {traces.length < MIN ? "Nothing left to compare." : "Comparing the others."}
          </p>
        )}
      </div>
      <div className="flex flex-wrap gap-3 p-4">
        {traces.map((t) => (
          <Summary key={t.traceId} trace={t} letter={letter(t.traceId)} />
        ))}
      </div>
      {diffs.map(({ traceId, diff }) => {
        const a = traces[0]!;
        return (
          <section key={traceId} className="px-4 pb-6" data-testid="compare-diff" data-trace-id={traceId}>
            <h2 className="mb-2 font-semibold">
              Structural diff: {letter(a.traceId)} <span className="font-mono text-[12px] font-normal text-muted">{shortId(a.traceId)}</span> → {letter(traceId)}{" "}
              <span className="font-mono text-[12px] font-normal text-muted">{shortId(traceId)}</span>
            </h2>
            <DiffTable diff={diff} labels={[letter(a.traceId), letter(traceId)]} />
          </section>
        );
      })}
    </div>
  );
}

/** One figure with its name; the name carries the definition as its title (dotted underline). */
export function Figure({ name, definition, value, tone }: { name: string; definition?: string; value: string; tone?: "danger" }) {
  return (
    <div className="flex justify-between gap-3">
      <dt className={`text-muted ${definition ? "cursor-help underline decoration-dotted underline-offset-2" : ""}`} title={definition}>
        {name}
      </dt>
      <dd className={`font-medium tabular-nums ${tone === "danger" ? "text-danger" : ""}`}>{value}</dd>
    </div>
  );
}

function Summary({ trace, letter }: { trace: ComparedTrace; letter: string }) {
  return (
    <div className="w-[300px] rounded-md border border-line p-3 text-[12px]" data-testid="compare-trace-summary" data-trace-id={trace.traceId}>
      <div className="mb-1 flex items-baseline gap-2">
        <span className="rounded bg-fg px-1.5 text-[11px] font-bold text-bg">{letter}</span>
        <Link href={`/traces/${trace.traceId}`} className="truncate text-[13px] font-semibold hover:underline" title={`${trace.rootService}: ${trace.rootName}`}>
          {trace.rootService}: {trace.rootName}
        </Link>
      </div>
      <div className="mb-2 font-mono text-[11px] text-muted" title={new Date(nsToMs(trace.startNs)).toLocaleString()}>
        {trace.traceId}
      </div>
      <dl className="space-y-0.5">
        <Figure name={DURATIONS.traceDuration.label} definition={DURATIONS.traceDuration.definition} value={formatDuration(trace.traceDurationNs)} />
        <Figure name={DURATIONS.responseTime.label} definition={DURATIONS.responseTime.definition} value={trace.responseTimeNs === null ? "—" : formatDuration(trace.responseTimeNs)} />
        <Figure name="Spans" value={trace.spanCount.toLocaleString("en-US")} />
        <Figure name="Error spans" value={String(trace.errorCount)} tone={trace.errorCount > 0 ? "danger" : undefined} />
      </dl>
      <div className="mt-2 flex flex-wrap gap-1">
        {trace.services.map((s) => (
          <ServiceChip key={s} name={s} />
        ))}
      </div>
      <div className="mt-2 flex gap-3 text-[12px]">
        <Link href={`/traces/${trace.traceId}`} className="text-accent hover:underline">
          Waterfall
        </Link>
        <Link href={`/traces/${trace.traceId}/flame`} className="text-accent hover:underline" data-testid="compare-flame-link">
          Flame graph
        </Link>
        <Link href={`/traces/${trace.traceId}/stats`} className="text-accent hover:underline">
          Statistics
        </Link>
      </div>
    </div>
  );
}
