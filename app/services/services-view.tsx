"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { MAP_WINDOWS, type MapWindow } from "../../server/service-map/windows.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { InstanceTable } from "./instance-table.tsx";

const WINDOWS = Object.keys(MAP_WINDOWS) as MapWindow[];
const POLL_MS = 2_000;

function useWindowParam(): [MapWindow, (w: MapWindow) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.get("window");
  const window = raw && (WINDOWS as string[]).includes(raw) ? (raw as MapWindow) : "15m";
  return [window, (w) => router.replace(w === "15m" ? pathname : `${pathname}?window=${w}`, { scroll: false })];
}

/** Live list of services and their instances. */
export function ServicesView() {
  const trpc = useTRPC();
  const [window, setWindow] = useWindowParam();
  const nowMs = useNow();
  const query = useQuery(trpc.services.instances.queryOptions({ window }, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }));
  const data = query.data;
  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2">
        <h1 className="text-[15px] font-semibold">Services</h1>
        <span className="text-muted">requests served in the last</span>
        <div role="group" aria-label="Time window" className="flex overflow-hidden rounded-md border border-line-strong">
          {WINDOWS.map((w) => (
            <button key={w} type="button" aria-pressed={w === window} onClick={() => setWindow(w)}
              className={`px-2 py-0.5 text-[12px] ${w === window ? "bg-selected font-medium text-fg" : "text-muted hover:bg-hover"}`}>{w}</button>
          ))}
        </div>
        <span className="text-muted">· live</span>
      </div>
      <div className="min-h-0 flex-1 overflow-auto p-4">
        {data?.registryError && (
          <div role="alert" className="mb-3 rounded border border-danger/40 bg-danger-bg px-3 py-2 text-danger">{data.registryError}</div>
        )}
        {query.isPending ? (
          <div className="text-muted">Loading services…</div>
        ) : query.isError && !data ? (
          <StatePanel title="Could not load services" tone="danger">{errorMessageOf(query.error)}</StatePanel>
        ) : data && data.services.length === 0 ? (
          <StatePanel title="No services registered" testId="services-empty">Start the system with npm start.</StatePanel>
        ) : (
          <div className="flex flex-col gap-3">
            {data?.services.map((group) => <InstanceTable key={group.service} group={group} nowMs={nowMs} />)}
          </div>
        )}
      </div>
    </div>
  );
}
