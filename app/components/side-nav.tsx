"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/traces", label: "Traces" },
  { href: "/orders", label: "Orders" },
  { href: "/sagas", label: "Sagas" },
  { href: "/compare", label: "Compare" },
  { href: "/breakers", label: "Breakers" },
  { href: "/chaos", label: "Chaos" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/queues", label: "Queues" },
  { href: "/map", label: "Service map" },
  { href: "/services", label: "Services" },
] as const;

/** Views that are planned; listed so the shape of the dashboard is visible from day one. */
const UPCOMING: readonly string[] = [];

/** Left navigation; the current section is highlighted and marked `aria-current`. */
export function SideNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="flex flex-col gap-0.5 border-r border-line bg-subtle p-2">
      {SECTIONS.map((section) => {
        const isActive = pathname === section.href || pathname.startsWith(`${section.href}/`);
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={isActive ? "page" : undefined}
            className={`rounded-md px-2.5 py-1.5 ${isActive ? "bg-selected font-medium text-fg" : "text-muted hover:bg-hover hover:text-fg"}`}
          >
            {section.label}
          </Link>
        );
      })}
      {UPCOMING.length > 0 && <div className="mt-4 px-2.5 pb-1 text-[11px] font-medium uppercase tracking-wide text-muted">Coming later</div>}
      {UPCOMING.map((label) => (
        <span key={label} aria-disabled className="cursor-default px-2.5 py-1 text-muted opacity-60">
          {label}
        </span>
      ))}
    </nav>
  );
}
