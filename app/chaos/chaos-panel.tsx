"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { ExperimentForm } from "./experiment-form.tsx";
import { ExperimentTable } from "./experiment-table.tsx";

const POLL_MS = 3_000;

/** Start, watch and end fault-injection experiments; services pick changes up live. */
export function ChaosPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow();
  const list = useQuery(trpc.chaos.list.queryOptions(undefined, { refetchInterval: POLL_MS }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.chaos.list.queryKey() });
  const start = useMutation(trpc.chaos.start.mutationOptions({ onSuccess: refresh }));
  const stop = useMutation(trpc.chaos.stop.mutationOptions({ onSuccess: refresh }));
  const reset = useMutation(trpc.chaos.reset.mutationOptions({ onSuccess: refresh }));
  const failure = start.error ?? stop.error ?? reset.error;

  const experiments = list.data?.experiments ?? [];
  const isActive = (e: (typeof experiments)[number]) => !e.endedAt && (!e.endsAt || Date.parse(e.endsAt) > now);
  const active = experiments.filter(isActive);
  const ended = experiments.filter((e) => !isActive(e));

  return (
    <div className="h-full overflow-y-auto">
      <div className="flex items-center gap-3 px-4 pt-3 pb-2">
        <h1 className="text-[15px] font-semibold">Chaos</h1>
        <span className="text-muted">fault injection · live, no restarts</span>
        <button
          type="button"
          onClick={() => reset.mutate()}
          disabled={reset.isPending || active.length === 0}
          className="ml-auto rounded-md border border-danger px-3 py-1 font-medium text-danger hover:bg-danger-bg disabled:opacity-40"
        >
          Reset all faults
        </button>
      </div>
      <div className="space-y-4 px-4 pb-6">
        <ExperimentForm services={list.data?.services ?? []} isPending={start.isPending} onStart={(input) => start.mutate(input)} />
        {failure && <p role="alert" className="text-danger">{errorMessageOf(failure)}</p>}
        {list.isPending ? (
          <p className="text-muted">Loading experiments…</p>
        ) : list.isError ? (
          <StatePanel title="Could not load experiments" tone="danger">{errorMessageOf(list.error)}</StatePanel>
        ) : (
          <>
            <section>
              <h2 className="mb-2 font-semibold">Active ({active.length})</h2>
              {active.length === 0 ? (
                <p className="text-muted" data-testid="no-active-experiments">No fault is injected: every service behaves.</p>
              ) : (
                <ExperimentTable experiments={active} onStop={(id) => stop.mutate({ id })} stopping={stop.isPending ? (stop.variables?.id ?? null) : null} testId="active-experiments" />
              )}
            </section>
            {ended.length > 0 && (
              <section>
                <h2 className="mb-2 font-semibold">Ended</h2>
                <ExperimentTable experiments={ended.slice(0, 50)} testId="ended-experiments" />
              </section>
            )}
          </>
        )}
      </div>
    </div>
  );
}
