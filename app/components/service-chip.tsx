import { serviceColor } from "../lib/service-colors.ts";

/** A service name with its colour swatch; the same colour as its bars in the waterfall. */
export function ServiceChip({ name, count }: { name: string; count?: number }) {
  return (
    <span className="inline-flex items-center gap-1.5 rounded border border-line px-1.5 py-px text-[12px] leading-5 whitespace-nowrap">
      <span aria-hidden className="inline-block size-2 rounded-full" style={{ background: serviceColor(name) }} />
      {name}
      {count !== undefined && <span className="text-muted">{count}</span>}
    </span>
  );
}
