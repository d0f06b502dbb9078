"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { DiffTable } from "../traces/compare/diff-table.tsx";

/**
 * The compared styles' traces diffed by operation path against the first column (the same diff
 * as /traces/compare, which the link opens): which calls, queries and messages one style makes
 * and another does not. Followed while the orders are still finishing.
 */
export function StructuralDiff({ traceIds, labels, isSettled }: { traceIds: string[]; labels: string[]; isSettled: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.traceAnalysis.compare.queryOptions({ traceIds }, { retry: false, refetchInterval: isSettled ? false : 1_500 }));
  const { refetch } = query;
  // One last read once every order is terminal: async consumers may have added spans meanwhile.
  useEffect(() => {
    if (isSettled) void refetch();
  }, [isSettled, refetch]);
  const labelOf = (traceId: string) => labels[traceIds.indexOf(traceId)] ?? traceId.slice(0, 8);
  return (
    <section className="px-4 pb-6" data-testid="compare-structural-diff">
      <div className="mb-2 flex items-baseline gap-3">
        <h2 className="font-semibold">Structural diff</h2>
        <Link href={`/traces/compare?ids=${traceIds.join(",")}`} className="text-[12px] text-accent hover:underline" data-testid="compare-open-traces">
          Open in trace compare →
        </Link>
      </div>
      {query.isPending ? (
        <p className="text-[12px] text-muted">Loading the diff…</p>
      ) : query.isError ? (
        <p className="text-[12px] text-danger">{errorMessageOf(query.error)}</p>
      ) : (
        query.data.diffs.map(({ traceId, diff }) => (
          <div key={traceId} className="mb-4">
            <h3 className="mb-1 text-[13px] font-medium">
              {labelOf(traceIds[0]!)} → {labelOf(traceId)}
            </h3>
            <DiffTable diff={diff} labels={[labelOf(traceIds[0]!), labelOf(traceId)]} />
          </div>
        ))
      )}
    </section>
  );
}
