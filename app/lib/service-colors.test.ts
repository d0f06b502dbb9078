import { describe, expect, it } from "vitest";
import { SERVICE_NAMES } from "../../services/contracts/services.ts";
import { SERVICE_PALETTE, THEME_BACKGROUNDS, serviceColor, serviceColorCss, serviceColorIndex } from "./service-colors.ts";

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("service colours", () => {
  it("gives Switchyard's services distinct, fixed slots", () => {
    const slots = SERVICE_NAMES.map(serviceColorIndex);
    expect(slots).toEqual(SERVICE_NAMES.map((_, i) => i));
  });

  it("is stable for any other name and stays inside the palette", () => {
    for (const name of ["payments", "collector", "", "unknown_service"]) {
      const index = serviceColorIndex(name);
      expect(index).toBe(serviceColorIndex(name));
      // Never the colour of one of Switchyard's own services.
      expect(index).toBeGreaterThanOrEqual(SERVICE_NAMES.length);
      expect(index).toBeLessThan(SERVICE_PALETTE.light.length);
    }
    expect(serviceColor("payments")).toMatch(/^var\(--svc-\d+\)$/);
  });

  it.each(["light", "dark"] as const)("keeps every %s colour at 3:1 or more against the page", (theme) => {
    for (const color of SERVICE_PALETTE[theme]) {
      expect(contrast(color, THEME_BACKGROUNDS[theme]), color).toBeGreaterThanOrEqual(3);
    }
  });

  it("emits a CSS variable per slot for both themes", () => {
    const css = serviceColorCss();
    expect(css).toContain("--svc-0:#2563eb;");
    expect(css).toContain(":root.dark{--svc-0:#60a5fa;");
  });
});
