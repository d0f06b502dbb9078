"use client";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Fixed-height windowing: only the rows in view (plus `overscan`) are rendered, so a 10,000-span
 * trace costs the same to draw as a 40-span one. Returns the scroll container's ref.
 */
export function useVirtualRows(count: number, rowHeight: number, overscan = 12) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let frame = 0;
    // One state update per animation frame, however many scroll events the browser fires.
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setScrollTop(element.scrollTop));
    };
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    element.addEventListener("scroll", onScroll, { passive: true });
    setViewport(element.clientHeight);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      element.removeEventListener("scroll", onScroll);
    };
  }, []);

  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);

  /** Scrolls just enough to bring row `index` into view (centred if it was far away). */
  const scrollToIndex = useCallback(
    (index: number) => {
      const element = ref.current;
      if (!element) return;
      const top = index * rowHeight;
      const isVisible = top >= element.scrollTop && top + rowHeight <= element.scrollTop + element.clientHeight;
      if (!isVisible) element.scrollTop = Math.max(0, top - element.clientHeight / 2);
    },
    [rowHeight],
  );

  return { ref, start, end, totalHeight: count * rowHeight, scrollToIndex };
}
