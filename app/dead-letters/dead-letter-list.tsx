"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ReplayOutcome } from "../../services/contracts/dead-letter.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { Pager } from "../queues/pager.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { DeadLetterFilterBar } from "./dead-letter-filters.tsx";
import { DeadLetterTable } from "./dead-letter-table.tsx";
import { rangeText } from "./range-text.ts";
import { useDeadLetterFilters } from "./use-dead-letter-filters.ts";

/** New dead letters and replay outcomes show up within two seconds. */
const POLL_MS = 2_000;
/** Rows per page: the server slices, so 10,000 dead letters cost one page of rows here. */
const PAGE_SIZE = 50;

function summarize(outcomes: ReplayOutcome[]): string {
  const count = (status: ReplayOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
  const parts = [`${count("replayed")} replayed`];
  if (count("already-replayed") > 0) parts.push(`${count("already-replayed")} already replayed`);
  if (count("not-found") > 0) parts.push(`${count("not-found")} no longer in the DLQ`);
  return parts.join(" · ");
}

/** The live dead-letter page: filters, table with selection, replay of one or many. */
export function DeadLetterList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { filters, setFilters } = useDeadLetterFilters();
  const isFiltered = Boolean(filters.queue || filters.reason || filters.replayed);
  const listInput = { queue: filters.queue, reason: filters.reason, replayed: filters.replayed, page: filters.page, pageSize: PAGE_SIZE };
  const query = useQuery(trpc.deadLetters.list.queryOptions(listInput, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [requested, setRequested] = useState<ReadonlySet<string>>(new Set());
  const replay = useMutation(
    trpc.deadLetters.replay.mutationOptions({
      onSuccess: (outcomes) => {
        setRequested((prev) => new Set([...prev, ...outcomes.filter((o) => o.status !== "not-found").map((o) => o.id)]));
        setSelected(new Set());
        void queryClient.invalidateQueries({ queryKey: trpc.deadLetters.list.queryKey() });
      },
    }),
  );
  const [discardId, setDiscardId] = useState<string | null>(null);
  const discard = useMutation(
    trpc.deadLetters.discard.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.deadLetters.list.queryKey() }),
    }),
  );
  const items = query.data?.items ?? [];
  const visibleSelected = items.filter((e) => selected.has(e.id) && !e.replay).map((e) => e.id);
  const startReplay = (ids: string[]) => {
    if (ids.length > 0 && !replay.isPending) replay.mutate({ ids });
  };

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-baseline gap-3 px-4 pt-3">
        <h1 className="text-[15px] font-semibold">Dead letters</h1>
        <span className="text-muted tabular-nums" aria-live="polite" data-testid="dead-letter-count">
          {query.isSuccess ? `${rangeText(query.data, isFiltered)} · live` : ""}
        </span>
        <div className="ml-auto flex items-center gap-3">
          {replay.isSuccess && <span className="text-muted" data-testid="replay-result">{summarize(replay.data)}</span>}
          {replay.isError && <span className="text-danger">{errorMessageOf(replay.error)}</span>}
          {discard.isSuccess && (
            <span className="text-muted" data-testid="discard-result">
              {discard.data.filter((o) => o.status === "done").length} discarded
            </span>
          )}
          {discard.isError && <span className="text-danger">{errorMessageOf(discard.error)}</span>}
          <button
            type="button"
            data-testid="replay-selected"
            disabled={visibleSelected.length === 0 || replay.isPending}
            onClick={() => startReplay(visibleSelected)}
            className="rounded-md bg-accent px-3 py-1 font-medium text-accent-fg disabled:cursor-not-allowed disabled:opacity-40"
          >
            {replay.isPending ? "Replaying…" : `Replay selected (${visibleSelected.length})`}
          </button>
        </div>
      </div>
      <DeadLetterFilterBar filters={filters} queues={query.data?.queues ?? []} onChange={setFilters} />
      <div className="min-h-0 flex-1 overflow-auto">
        {query.isPending ? (
          <div className="p-4 text-muted">Loading dead letters…</div>
        ) : query.isError && items.length === 0 ? (
          <StatePanel title="Could not load dead letters" tone="danger" testId="dead-letters-error">
            {errorMessageOf(query.error)} Retrying every two seconds.
          </StatePanel>
        ) : items.length === 0 ? (
          <EmptyList isFiltered={isFiltered} />
        ) : (
          <DeadLetterTable
            items={items}
            selected={selected}
            requested={requested}
            openId={filters.open}
            isReplaying={replay.isPending}
            onSelect={setSelected}
            onToggleOpen={(id) => setFilters({ open: filters.open === id ? undefined : id })}
            onReplay={(id) => startReplay([id])}
            onDiscard={setDiscardId}
          />
        )}
      </div>
      {query.data && query.data.pages > 1 && <Pager page={query.data.page} pages={query.data.pages} onPage={(page) => setFilters({ page })} />}
      <ConfirmDialog
        isOpen={discardId !== null}
        title={`Discard dead letter ${discardId ?? ""}?`}
        actionLabel="Discard"
        isDanger
        onClose={() => setDiscardId(null)}
        onConfirm={() => discardId && discard.mutate({ ids: [discardId] })}
      >
        It is removed from the dead-letter queue and never replayed. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}

function EmptyList({ isFiltered }: { isFiltered: boolean }) {
  if (isFiltered) return <StatePanel title="No dead letters match these filters">Clear a filter to see more.</StatePanel>;
  return (
    <StatePanel title="No dead letters" testId="dead-letters-empty">
      A message lands here when its consumer gives up on it: its attempts ran out, it was rejected as unrecoverable, or
      its worker stalled too often. Inject a poison-message fault from the chaos panel to see one.
    </StatePanel>
  );
}
