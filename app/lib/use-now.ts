"use client";
import { useEffect, useState } from "react";

/** Current time in ms, refreshed every `intervalMs`, so relative times ("5 s ago") keep moving. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
