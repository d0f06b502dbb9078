/** Time windows the service map offers, ending now (pure: shared by the router and the page). */
import { z } from "zod";

/** Window lengths in minutes. */
export const MAP_WINDOWS = { "5m": 5, "15m": 15, "1h": 60, "6h": 360, "24h": 1440, "7d": 10080 } as const;
export type MapWindow = keyof typeof MAP_WINDOWS;
export const MapWindowSchema = z.enum(Object.keys(MAP_WINDOWS) as [MapWindow, ...MapWindow[]]);

const MINUTE_MS = 60_000;

/** Window [from, to) in whole minutes, including the minute in progress. */
export function windowBounds(window: MapWindow, nowMs: number): { fromMs: number; toMs: number } {
  const toMs = nowMs - (nowMs % MINUTE_MS) + MINUTE_MS;
  return { fromMs: toMs - MAP_WINDOWS[window] * MINUTE_MS, toMs };
}
