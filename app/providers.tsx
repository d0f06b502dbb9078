"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient } from "@trpc/client";
import { useState, type ReactNode } from "react";
import type { AppRouter } from "../server/routers/app-router.ts";
import { isPermanentError } from "./lib/errors.ts";
import { TRPCProvider } from "./lib/trpc.ts";
import { dashboardLinks } from "./lib/trpc-links.ts";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 1_000,
        // A missing trace or a rejected input stays that way; only transient failures retry.
        retry: (count, error) => !isPermanentError(error) && count < 2,
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** One client per browser tab; a fresh one per server render so requests never share a cache. */
function getQueryClient() {
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

/** React Query + tRPC for every page. */
export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: dashboardLinks<AppRouter>() }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
