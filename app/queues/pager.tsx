"use client";

const BUTTON = "rounded-md border border-line-strong px-2 py-0.5 hover:bg-hover disabled:cursor-not-allowed disabled:opacity-40";

/** Previous / next page with "page n of m", under a paged table. */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <div className="flex items-center justify-end gap-2 border-t border-line px-4 py-1.5" data-testid="pager">
      <button type="button" className={BUTTON} disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous</button>
      <span className="text-muted tabular-nums">Page {page} of {pages}</span>
      <button type="button" className={BUTTON} disabled={page >= pages} onClick={() => onPage(page + 1)}>Next</button>
    </div>
  );
}
