"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { parsePageParam } from "../../server/dlq/paging.ts";
import { MAP_WINDOWS, type MapWindow } from "../../server/service-map/windows.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { Pager } from "../queues/pager.tsx";
import { InstanceTable } from "./instance-table.tsx";

const WINDOWS = Object.keys(MAP_WINDOWS) as MapWindow[];
const POLL_MS = 2_000;
/** Services per page: each is a small table, so a thousand senders never make one endless page. */
const PAGE_SIZE = 25;
const count = new Intl.NumberFormat("en");

/** What the page shows, as it appears in the URL: `?window=5m&q=inventory&page=2`. */
type ViewParams = { window: MapWindow; search: string; page: number };

function useViewParams(): [ViewParams, (patch: Partial<ViewParams>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const current = useMemo<ViewParams>(() => {
    const raw = params.get("window");
    return {
      window: raw && (WINDOWS as string[]).includes(raw) ? (raw as MapWindow) : "15m",
      search: params.get("q") ?? "",
      page: parsePageParam(params.get("page")),
    };
  }, [params]);
  const go = useCallback((patch: Partial<ViewParams>) => {
    // A new search starts again at page 1; the window keeps the page.
    const next = { ...current, ...("search" in patch ? { page: 1 } : {}), ...patch };
    const query = new URLSearchParams();
    if (next.window !== "15m") query.set("window", next.window);
    if (next.search) query.set("q", next.search);
    if (next.page > 1) query.set("page", String(next.page));
    const qs = query.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }, [current, pathname, router]);
  return [current, go];
}

/** The filter box: typed text goes to the URL once typing pauses (each keystroke is not a navigation). */
function SearchBox({ value, onSearch }: { value: string; onSearch: (search: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => onSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text, value, onSearch]);
  return (
    <input type="search" aria-label="Filter services by name" placeholder="Filter by service or instance…" value={text}
      onChange={(e) => setText(e.target.value)} data-testid="services-search"
      className="ml-auto w-64 max-w-full rounded-md border border-line-strong bg-bg px-2 py-1" />
  );
}

/** Live list of services and their instances: filter by name, a page of services at a time. */
export function ServicesView() {
  const trpc = useTRPC();
  const [view, setView] = useViewParams();
  const nowMs = useNow();
  const input = { window: view.window, search: view.search || undefined, page: view.page, pageSize: PAGE_SIZE };
  const query = useQuery(trpc.services.instances.queryOptions(input, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }));
  const data = query.data;
  const onSearch = useCallback((search: string) => setView({ search }), [setView]);
  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2">
        <h1 className="text-[15px] font-semibold">Services</h1>
        <span className="text-muted">requests served in the last</span>
        <div role="group" aria-label="Time window" className="flex overflow-hidden rounded-md border border-line-strong">
          {WINDOWS.map((w) => (
            <button key={w} type="button" aria-pressed={w === view.window} onClick={() => setView({ window: w })}
              className={`px-2 py-0.5 text-[12px] ${w === view.window ? "bg-selected font-medium text-fg" : "text-muted hover:bg-hover"}`}>{w}</button>
          ))}
        </div>
        <span className="text-muted">· live</span>
        <SearchBox value={view.search} onSearch={onSearch} />
        {data && (
          <span className="text-muted tabular-nums" data-testid="services-count">
            {view.search ? `${count.format(data.total)} of ${count.format(data.all)} services` : `${count.format(data.all)} services`}
          </span>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-auto p-4">
        {data?.registryError && (
          <div role="alert" className="mb-3 rounded border border-danger/40 bg-danger-bg px-3 py-2 text-danger">{data.registryError}</div>
        )}
        {query.isPending ? (
          <div className="text-muted">Loading services…</div>
        ) : query.isError && !data ? (
          <StatePanel title="Could not load services" tone="danger">{errorMessageOf(query.error)}</StatePanel>
        ) : data && data.all === 0 ? (
          <StatePanel title="No services registered" testId="services-empty">Start the system with npm start.</StatePanel>
        ) : data && data.services.length === 0 ? (
          <StatePanel title="No service matches this filter">Clear the filter to see every service.</StatePanel>
        ) : (
          <div className="flex flex-col gap-3">
            {data?.services.map((group) => <InstanceTable key={group.service} group={group} nowMs={nowMs} />)}
          </div>
        )}
      </div>
      {data && data.pages > 1 && <Pager page={data.page} pages={data.pages} onPage={(page) => setView({ page })} />}
    </div>
  );
}
