import { serviceColor } from "../lib/service-colors.ts";

/**
 * A service name with its colour swatch; the same colour as its bars in the waterfall. Any OTLP
 * sender names its service: a long name truncates (at most 16rem: a fixed cap, as table columns size from it) and
 * shows in full on hover.
 */
export function ServiceChip({ name, count }: { name: string; count?: number }) {
  return (
    <span title={name} className="inline-flex max-w-64 min-w-0 items-center gap-1.5 rounded border border-line px-1.5 py-px text-[12px] leading-5 whitespace-nowrap">
      <span aria-hidden className="inline-block size-2 shrink-0 rounded-full" style={{ background: serviceColor(name) }} />
      <span className="min-w-0 truncate">{name}</span>
      {count !== undefined && <span className="text-muted">{count}</span>}
    </span>
  );
}
