"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { BreakerCard } from "./breaker-card.tsx";

const POLL_MS = 2_000;
const WINDOWS = [5, 15, 60, 360] as const;

/** "15 min", "6 h": how a window is named on the select and on every figure. */
const windowName = (minutes: number) => (minutes < 60 ? `${minutes} min` : `${minutes / 60} h`);

/** The window in minutes from `?minutes=`, defaulting to 15 for anything else. */
function useWindowMinutes(): [number, (minutes: number) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const value = Number(params.get("minutes"));
  const minutes = (WINDOWS as readonly number[]).includes(value) ? value : 15;
  const set = (next: number) => router.replace(`${pathname}?minutes=${next}`, { scroll: false });
  return [minutes, set];
}

/** Every breaker of the window as a card, refreshed every 2 s. */
export function BreakerList() {
  const trpc = useTRPC();
  const [minutes, setMinutes] = useWindowMinutes();
  const query = useQuery(trpc.breakers.list.queryOptions({ minutes }, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }));
  return (
    <div className="h-full overflow-y-auto">
      <div className="flex items-center gap-3 px-4 pt-3 pb-2">
        <h1 className="text-[15px] font-semibold">Circuit breakers</h1>
        <span className="text-muted">rebuilt from spans · live</span>
        <label className="ml-auto flex items-center gap-2 text-muted">
          Window
          <select
            aria-label="Window"
            value={minutes}
            onChange={(event) => setMinutes(Number(event.target.value))}
            className="rounded border border-line bg-bg px-1.5 py-0.5 text-fg"
          >
            {WINDOWS.map((w) => (
              <option key={w} value={w}>{windowName(w)}</option>
            ))}
          </select>
        </label>
        <Link href="/chaos" className="text-accent hover:underline">Inject faults →</Link>
      </div>
      {query.isPending ? (
        <p className="px-4 text-muted">Loading breakers…</p>
      ) : query.isError ? (
        <StatePanel title="Could not load breakers" tone="danger">{errorMessageOf(query.error)}</StatePanel>
      ) : query.data.breakers.length === 0 ? (
        <StatePanel title="No breaker activity in this window" testId="breakers-empty">
          Breakers appear once a service calls another over tRPC. Place an order, or make a dependency fail from the chaos panel.
        </StatePanel>
      ) : (
        <div className="grid grid-cols-1 gap-3 px-4 pb-6 xl:grid-cols-[repeat(2,minmax(0,1fr))]" data-testid="breaker-cards">
          {query.data.truncated && (
            <p className="text-warn xl:col-span-2">Busy window: counts cover only the newest breaker spans. Pick a shorter window for exact figures.</p>
          )}
          {query.data.breakers.map((breaker) => (
            <BreakerCard key={breaker.key} breaker={breaker} fromNs={query.data.fromNs} toNs={query.data.toNs} windowLabel={`last ${windowName(minutes)}`} />
          ))}
        </div>
      )}
    </div>
  );
}
