"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { SagaStatusSchema } from "../../services/contracts/flow.ts";
import { formatAgo, formatDuration, shortId } from "../lib/format.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { useSagaFilters } from "./use-saga-filters.ts";

const POLL_MS = 2_000;
const TH = "sticky top-0 border-b border-line bg-subtle px-3 py-1.5 text-left font-medium text-muted";
const INPUT = "rounded-md border border-line-strong bg-bg px-2 py-1";

/** The saga list: status, order, style, current step, start and duration; polled while open. */
export function SagaList() {
  const trpc = useTRPC();
  const now = useNow();
  const { filters, setFilters } = useSagaFilters();
  const sagas = useQuery(
    trpc.sagas.list.queryOptions(
      { limit: 200, status: filters.status, style: filters.style, search: filters.search },
      { refetchInterval: POLL_MS, placeholderData: (prev) => prev },
    ),
  );

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2.5">
        <h1 className="text-[15px] font-semibold">Sagas</h1>
        <select aria-label="Status" className={INPUT} value={filters.status ?? ""} onChange={(e) => setFilters({ status: (e.target.value || undefined) as never })}>
          <option value="">Any status</option>
          {SagaStatusSchema.options.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Style" className={INPUT} value={filters.style ?? ""} onChange={(e) => setFilters({ style: (e.target.value || undefined) as never })}>
          <option value="">Any style</option>
          {/* Only styles that ran sagas (the orchestrated one, in this shop), plus the one in the URL. */}
          {[...new Set([...(sagas.data?.styles ?? []), ...(filters.style ? [filters.style] : [])])].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <input
          aria-label="Search sagas"
          placeholder="Saga or order id"
          className={`${INPUT} w-56`}
          defaultValue={filters.search ?? ""}
          onChange={(e) => setFilters({ search: e.target.value || undefined })}
        />
        <span className="ml-auto text-[12px] text-muted">Rebuilt from spans · stuck = no saga span for 30 s</span>
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        {sagas.isPending ? (
          <p className="p-4 text-muted">Loading sagas…</p>
        ) : sagas.isError ? (
          <StatePanel title="Could not load sagas" tone="danger">
            {errorMessageOf(sagas.error)}
          </StatePanel>
        ) : sagas.data.items.length === 0 ? (
          <StatePanel title="No sagas">
            {filters.status || filters.style || filters.search ? "No saga matches these filters." : "Place an order in the saga style on the Orders page."}
          </StatePanel>
        ) : (
          <table className="w-full border-separate border-spacing-0" data-testid="saga-table">
            <thead>
              <tr>
                {["Status", "Saga", "Order", "Style", "Current step", "Started", "Duration", "Traces"].map((h) => (
                  <th key={h} className={TH}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="[&_td]:border-b [&_td]:border-line [&_td]:px-3 [&_td]:py-1.5">
              {sagas.data.items.map((s) => {
                const isOpen = s.endOffsetNs === null;
                const durationNs = isOpen ? now * 1e6 - Number(BigInt(s.startNs) / 1000n) * 1e3 : s.endOffsetNs!;
                return (
                  <tr key={s.sagaId} className="hover:bg-hover" data-testid="saga-row" data-saga-id={s.sagaId}>
                    <td>
                      <StatusBadge status={s.status} title={s.reason ?? undefined} />
                    </td>
                    <td>
                      <Link href={`/sagas/${encodeURIComponent(s.sagaId)}`} className="font-mono text-[12px] text-accent hover:underline" title={s.sagaId}>
                        {shortId(s.sagaId, 13)}
                      </Link>
                    </td>
                    <td className="font-mono text-[12px] text-muted" title={s.orderId ?? undefined}>
                      {s.orderId ? shortId(s.orderId) : "–"}
                    </td>
                    <td className="text-muted">{s.style ?? "–"}</td>
                    <td>
                      {s.currentStep ?? <span className="text-muted">–</span>}
                      {s.pending && (
                        <span className="ml-1.5 text-[11.5px] text-warn" data-testid="saga-row-waiting" title={s.pending.lastError ?? undefined}>
                          waiting after {s.pending.attempts} {s.pending.attempts === 1 ? "try" : "tries"}
                        </span>
                      )}
                      {s.stuckReason && <span className="ml-1.5 text-[11.5px] text-danger" title={s.stuckReason}>why?</span>}
                    </td>
                    <td className="whitespace-nowrap text-muted">{formatAgo(s.startNs, now)}</td>
                    <td className="tabular-nums">{formatDuration(durationNs)}{isOpen && <span className="text-muted"> …</span>}</td>
                    <td className="text-muted tabular-nums">{s.traceIds.length}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
