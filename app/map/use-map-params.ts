"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { MAP_WINDOWS, type MapWindow } from "../../server/service-map/windows.ts";
import { focusParamOf, focusIdOf } from "./graph-view.ts";

export const WINDOWS = Object.keys(MAP_WINDOWS) as MapWindow[];
const DEFAULT_WINDOW: MapWindow = "15m";

/**
 * Map state in the URL: `/map?window=1h&focus=order&select=service:order&expand=service:inventory&own=1`.
 * select: a node or edge id; focus: a service name (or a node id) whose neighbourhood alone is
 * drawn; expand: node ids drawn open (a service's instances, a topic's queues), repeatable;
 * own: the dashboard's own traffic is shown.
 */
export type MapParams = { window: MapWindow; select?: string; focus?: string; expand: string[]; showOwn: boolean };

export function useMapParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo<MapParams>(() => {
    const w = params.get("window");
    return {
      window: w && (WINDOWS as string[]).includes(w) ? (w as MapWindow) : DEFAULT_WINDOW,
      select: params.get("select") || undefined,
      focus: focusIdOf(params.get("focus")),
      expand: [...new Set(params.getAll("expand").filter(Boolean))].sort(),
      showOwn: params.get("own") === "1",
    };
  }, [params]);
  const setParams = useCallback(
    (patch: Partial<MapParams>) => {
      const next = { ...state, ...patch };
      const query = new URLSearchParams();
      if (next.window !== DEFAULT_WINDOW) query.set("window", next.window);
      if (next.focus) query.set("focus", focusParamOf(next.focus));
      if (next.select) query.set("select", next.select);
      for (const id of next.expand) query.append("expand", id);
      if (next.showOwn) query.set("own", "1");
      const qs = query.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [state, pathname, router],
  );
  return { params: state, setParams };
}
