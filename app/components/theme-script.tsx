"use client";
import { THEME_SCRIPT } from "./theme-toggle.tsx";

/**
 * The pre-paint theme script in <head>. The browser runs it from the server's HTML. When React
 * renders the shell on the client instead (a not-found or error boundary above the root layout
 * renders it without server HTML), a client-made <script> never runs and React 19 logs
 * "Encountered a script tag while rendering React component": there it is marked as a data
 * block (`text/plain`), which React leaves alone, and ThemeToggle applies the theme after mount.
 * Hydration keeps the server's attributes (suppressHydrationWarning covers the `type` difference).
 */
export function ThemeScript() {
  const isServer = typeof window === "undefined";
  return <script suppressHydrationWarning type={isServer ? undefined : "text/plain"} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />;
}
