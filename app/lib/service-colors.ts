import { SERVICE_NAMES } from "../../services/contracts/services.ts";

/**
 * Service colours for bars and chips, one palette per theme, each entry at least 3:1 against its
 * theme's background (WCAG non-text contrast). Red is left out: it means "error" everywhere.
 */
export const SERVICE_PALETTE = {
  light: ["#2563eb", "#0f766e", "#7c3aed", "#b45309", "#be185d", "#15803d", "#0e7490", "#4f46e5", "#4d7c0f", "#78716c"],
  dark: ["#60a5fa", "#2dd4bf", "#a78bfa", "#fbbf24", "#f472b6", "#4ade80", "#22d3ee", "#818cf8", "#a3e635", "#d6d3d1"],
} as const;

/** Page backgrounds the palette is checked against (kept in sync with app/globals.css). */
export const THEME_BACKGROUNDS = { light: "#ffffff", dark: "#0e1116" } as const;

const PALETTE_SIZE = SERVICE_PALETTE.light.length;

/** FNV-1a: tiny, and the same in every browser and Node, so a colour never changes per process. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Palette slot of a service: Switchyard's own services get fixed, distinct slots; any other name
 * a stable hash over the remaining slots (so it never takes the colour of one of ours), so the
 * same service has the same colour on every page and every trace.
 */
export function serviceColorIndex(serviceName: string): number {
  const known = (SERVICE_NAMES as readonly string[]).indexOf(serviceName);
  if (known >= 0) return known;
  const reserved = SERVICE_NAMES.length;
  return reserved + (hashName(serviceName) % (PALETTE_SIZE - reserved));
}

/** CSS colour for a service that follows the active theme (see {@link serviceColorCss}). */
export function serviceColor(serviceName: string): string {
  return `var(--svc-${serviceColorIndex(serviceName)})`;
}

/** CSS custom properties `--svc-N` for both themes; the layout inlines this once. */
export function serviceColorCss(): string {
  const vars = (colors: readonly string[]) => colors.map((c, i) => `--svc-${i}:${c};`).join("");
  return `:root{${vars(SERVICE_PALETTE.light)}}:root.dark{${vars(SERVICE_PALETTE.dark)}}`;
}
