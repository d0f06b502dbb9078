"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { MAP_WINDOWS, type MapWindow } from "../../server/service-map/windows.ts";

export const WINDOWS = Object.keys(MAP_WINDOWS) as MapWindow[];
const DEFAULT_WINDOW: MapWindow = "15m";

/** Map state in the URL: `/map?window=1h&select=service:order` (select: a node id or an edge id). */
export type MapParams = { window: MapWindow; select?: string };

export function useMapParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo<MapParams>(() => {
    const w = params.get("window");
    return {
      window: w && (WINDOWS as string[]).includes(w) ? (w as MapWindow) : DEFAULT_WINDOW,
      select: params.get("select") || undefined,
    };
  }, [params]);
  const setParams = useCallback(
    (patch: Partial<MapParams>) => {
      const next = { ...state, ...patch };
      const query = new URLSearchParams();
      if (next.window !== DEFAULT_WINDOW) query.set("window", next.window);
      if (next.select) query.set("select", next.select);
      const qs = query.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [state, pathname, router],
  );
  return { params: state, setParams };
}
