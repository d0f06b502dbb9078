"use client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "../../server/routers/app-router.ts";

/** Typed tRPC hooks for the dashboard API (`useTRPC().traces.list.queryOptions(...)`). */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
