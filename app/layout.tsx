import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { serviceColorCss } from "./lib/service-colors.ts";
import { SideNav } from "./components/side-nav.tsx";
import { KeyboardShortcuts } from "./components/keyboard-shortcuts.tsx";
import { ThemeToggle } from "./components/theme-toggle.tsx";
import { ThemeScript } from "./components/theme-script.tsx";
import "./globals.css";
import { Providers } from "./providers.tsx";

export const metadata: Metadata = {
  title: { default: "Switchyard", template: "%s · Switchyard" },
  description: "Traces of the Switchyard microservices sandbox",
};

/** App shell: brand + actions on top, sections on the left, the page fills the rest. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets `class="dark"` before hydration, so React must not complain about it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
        <style dangerouslySetInnerHTML={{ __html: serviceColorCss() }} />
      </head>
      <body className="font-sans">
        <Providers>
          <div className="grid h-screen grid-cols-[176px_1fr] grid-rows-[44px_1fr]">
            <header className="col-span-2 flex items-center gap-3 border-b border-line bg-subtle px-3">
              <Link href="/traces" className="flex items-center gap-2 font-semibold tracking-tight">
                <span aria-hidden className="inline-block size-3 rotate-45 rounded-[2px] bg-accent" />
                Switchyard
              </Link>
              <span className="text-muted">sandbox</span>
              <div className="ml-auto flex items-center gap-2">
                <Link
                  href="/orders#place-order"
                  className="rounded-md bg-accent px-3 py-1.5 font-medium text-accent-fg hover:opacity-90"
                >
                  Place order
                </Link>
                <ThemeToggle />
              </div>
            </header>
            <SideNav />
            <main className="min-h-0 min-w-0 overflow-hidden">{children}</main>
          </div>
          <KeyboardShortcuts />
        </Providers>
      </body>
    </html>
  );
}
