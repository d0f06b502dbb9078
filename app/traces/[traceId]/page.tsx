import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { TRPCError } from "@trpc/server";
import { createCaller } from "../../../server/routers/app-router.ts";
import { getDashboardContext } from "../../../server/routers/context.ts";
import { TraceView } from "./trace-view.tsx";

type Props = { params: Promise<{ traceId: string }> };

const TRACE_ID = /^[0-9a-f]{32}$/;

/** Loads the trace summary on the server so an unknown id is a real HTTP 404, not a blank page. */
async function loadSummary(traceId: string) {
  if (!TRACE_ID.test(traceId)) notFound();
  try {
    return await createCaller(getDashboardContext()).traces.summary({ traceId });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Trace ${traceId.slice(0, 8)}` };
}

/** /traces/<traceId>?span=<spanId> — the waterfall of one trace, with a span opened. */
export default async function TracePage({ params }: Props) {
  const { traceId } = await params;
  await loadSummary(traceId);
  return (
    <Suspense fallback={<div className="p-4 text-muted">Loading trace…</div>}>
      <TraceView traceId={traceId} />
    </Suspense>
  );
}
