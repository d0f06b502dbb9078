"use client";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/** `g` then a letter: the page it goes to. */
const GO_TO: Record<string, { href: string; label: string }> = {
  t: { href: "/traces", label: "Traces" },
  o: { href: "/orders", label: "Orders" },
  s: { href: "/sagas", label: "Sagas" },
  c: { href: "/compare", label: "Compare" },
  b: { href: "/breakers", label: "Breakers" },
  x: { href: "/chaos", label: "Chaos" },
  d: { href: "/dead-letters", label: "Dead letters" },
  q: { href: "/queues", label: "Queues" },
  m: { href: "/map", label: "Service map" },
  i: { href: "/services", label: "Services (instances)" },
};

/** The views of one trace, in the order `[` and `]` step through them. */
const TRACE_VIEWS = ["", "/flow", "/stats", "/flame"] as const;
const TRACE_PATH = /^\/traces\/([0-9a-f]{32})(\/flow|\/stats|\/flame)?$/;
/** How long `g` waits for its letter. */
const CHORD_MS = 1_200;

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
}

/** Rows a list offers to `j`/`k` (they carry `data-nav-row`); Enter opens the focused one. */
function moveInList(step: 1 | -1): boolean {
  const rows = [...document.querySelectorAll<HTMLElement>("[data-nav-row]")];
  if (rows.length === 0) return false;
  const current = rows.indexOf(document.activeElement as HTMLElement);
  const next = rows[Math.min(rows.length - 1, Math.max(0, current < 0 ? 0 : current + step))]!;
  next.focus();
  next.scrollIntoView({ block: "nearest" });
  return true;
}

/**
 * Keyboard shortcuts for the whole dashboard (`?` lists them): `/` search, `j`/`k` and Enter in
 * lists, `g` + letter to a page, `[`/`]` between a trace's views. Keys typed into a field, or
 * with Ctrl/Alt/Meta, are left alone; the waterfall keeps its own arrow keys and Esc.
 */
export function KeyboardShortcuts() {
  const router = useRouter();
  const pathname = usePathname();
  const [isHelpOpen, setHelpOpen] = useState(false);
  const chordUntil = useRef(0);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || isTyping(event.target)) return;
      const handled = handle(event.key);
      if (handled) event.preventDefault();
    };
    const handle = (key: string): boolean => {
      if (Date.now() < chordUntil.current) {
        chordUntil.current = 0;
        const target = GO_TO[key];
        if (target) router.push(target.href);
        return !!target;
      }
      if (key === "Escape" && isHelpOpen) return (setHelpOpen(false), true);
      if (key === "?") return (setHelpOpen((open) => !open), true);
      if (key === "g") return ((chordUntil.current = Date.now() + CHORD_MS), true);
      if (key === "/") {
        const search = document.querySelector<HTMLInputElement>('input[type="search"]');
        search?.focus();
        return !!search;
      }
      if (key === "j" || key === "k") return moveInList(key === "j" ? 1 : -1);
      if (key === "Enter") {
        const row = document.activeElement as HTMLElement | null;
        if (!row?.hasAttribute("data-nav-row")) return false;
        row.click();
        return true;
      }
      if (key === "[" || key === "]") {
        const match = TRACE_PATH.exec(pathname);
        if (!match) return false;
        const at = TRACE_VIEWS.indexOf((match[2] ?? "") as (typeof TRACE_VIEWS)[number]);
        const next = (at + (key === "]" ? 1 : TRACE_VIEWS.length - 1)) % TRACE_VIEWS.length;
        router.push(`/traces/${match[1]}${TRACE_VIEWS[next]}`);
        return true;
      }
      return false;
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [router, pathname, isHelpOpen]);

  if (!isHelpOpen) return null;
  const rows: [string, string][] = [
    ["/", "Focus the search box"],
    ["j / k", "Next / previous row of a list"],
    ["Enter", "Open the focused row"],
    ["[ / ]", "Previous / next view of a trace (waterfall, flow, statistics, flame graph)"],
    ["↑ ↓ ← → Esc", "Move, fold and close in the waterfall"],
    ...Object.entries(GO_TO).map(([letter, target]): [string, string] => [`g ${letter}`, `Go to ${target.label}`]),
    ["?", "Show or hide this list"],
  ];
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/30" onClick={() => setHelpOpen(false)}>
      <div
        role="dialog"
        aria-label="Keyboard shortcuts"
        className="w-[420px] rounded-lg border border-line bg-bg p-4 shadow-lg"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 className="mb-2 text-[14px] font-semibold">Keyboard shortcuts</h2>
        <table className="w-full text-[12px]">
          <tbody>
            {rows.map(([keys, what]) => (
              <tr key={keys}>
                <td className="py-0.5 pr-3 whitespace-nowrap">
                  <kbd className="rounded border border-line bg-subtle px-1.5 font-mono text-[11px]">{keys}</kbd>
                </td>
                <td className="py-0.5 text-muted">{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
