"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { QueueJobState, QueueSummary } from "../../server/queues/view-models.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Pager } from "./pager.tsx";

/** Counts and throughput refresh every two seconds. */
const POLL_MS = 2_000;
const PAGE_SIZE = 50;
const TH = "sticky top-0 z-10 border-b border-line bg-subtle px-3 py-1.5 text-left font-medium whitespace-nowrap text-muted";

/** The state columns, in a job's order of life; a count links to that state's jobs. */
const STATE_COLUMNS: { state: QueueJobState; label: string; tone?: string }[] = [
  { state: "waiting", label: "Waiting" },
  { state: "prioritized", label: "Prioritized" },
  { state: "delayed", label: "Delayed", tone: "text-warn" },
  { state: "active", label: "Active" },
  { state: "completed", label: "Completed", tone: "text-ok" },
  { state: "failed", label: "Failed", tone: "text-danger" },
];

/** The live list of queues: search by name, paged (a sandbox may hold a thousand queues). */
export function QueueList() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.get("search") ?? "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const setParams = (patch: { search?: string; page?: number }) => {
    const next = new URLSearchParams();
    const nextSearch = patch.search ?? search;
    const nextPage = patch.page ?? page;
    if (nextSearch) next.set("search", nextSearch);
    if (nextPage > 1) next.set("page", String(nextPage));
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  const query = useQuery(
    trpc.queues.list.queryOptions({ search: search || undefined, page, pageSize: PAGE_SIZE }, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }),
  );
  const data = query.data;

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-baseline gap-3 px-4 pt-3 pb-2">
        <h1 className="text-[15px] font-semibold">Queues</h1>
        <span className="text-muted" aria-live="polite">{data ? `${data.total} queue${data.total === 1 ? "" : "s"} · live` : ""}</span>
        <input
          type="search"
          aria-label="Filter queues by name"
          placeholder="Filter by name"
          defaultValue={search}
          onChange={(e) => setParams({ search: e.target.value, page: 1 })}
          className="ml-auto w-64 rounded-md border border-line bg-bg px-2 py-1"
        />
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        {query.isPending ? (
          <div className="p-4 text-muted">Loading queues…</div>
        ) : query.isError && !data ? (
          <StatePanel title="Could not load queues" tone="danger" testId="queues-error">
            {errorMessageOf(query.error)} Retrying every two seconds.
          </StatePanel>
        ) : !data || data.items.length === 0 ? (
          <StatePanel title={search ? "No queue matches this filter" : "No queues yet"}>
            {search ? "Clear the filter to see every queue." : "A queue appears once a service creates it; start the system and place an order."}
          </StatePanel>
        ) : (
          <QueueTable items={data.items} />
        )}
      </div>
      {data && data.pages > 1 && <Pager page={data.page} pages={data.pages} onPage={(next) => setParams({ page: next })} />}
    </div>
  );
}

function QueueTable({ items }: { items: QueueSummary[] }) {
  return (
    <table className="w-full table-fixed border-separate border-spacing-0" data-testid="queue-table">
      <thead>
        <tr>
          <th className={`${TH} w-[34%]`}>Queue</th>
          {STATE_COLUMNS.map((c) => (
            <th key={c.state} className={`${TH} text-right`}>{c.label}</th>
          ))}
          <th className={`${TH} text-right`} title="Jobs finished (completed or failed) in the last minute">Throughput</th>
        </tr>
      </thead>
      <tbody>
        {items.map((queue) => {
          const href = `/queues/${encodeURIComponent(queue.name)}`;
          return (
            <tr key={queue.name} data-testid="queue-row" data-name={queue.name} className="hover:bg-hover [&>td]:border-b [&>td]:border-line [&>td]:px-3 [&>td]:py-1.5">
              <td className="max-w-0">
                <div className="flex items-center gap-2">
                  <Link href={href} data-nav-row className="truncate font-mono text-[12px] hover:text-accent hover:underline" title={queue.name}>
                    {queue.name}
                  </Link>
                  {queue.isPaused && <span className="rounded bg-warn-bg px-1.5 text-[11px] font-semibold text-warn">paused</span>}
                </div>
              </td>
              {STATE_COLUMNS.map((c) => {
                const count = queue.counts[c.state] ?? 0;
                return (
                  <td key={c.state} className="text-right tabular-nums">
                    <Link href={`${href}?state=${c.state}`} data-testid={`count-${c.state}`}
                      className={`hover:underline ${count === 0 ? "text-muted" : (c.tone ?? "")}`}>
                      {count}
                    </Link>
                  </td>
                );
              })}
              <td className="text-right whitespace-nowrap tabular-nums" data-testid="throughput">
                {queue.isThroughputCapped ? "≥" : ""}
                {queue.throughputPerMin}
                <span className="text-muted">/min</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
