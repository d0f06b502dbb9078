"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { CLEANABLE_STATES, QUEUE_JOB_STATES, type CleanableState, type QueueJobState } from "../../server/queues/view-models.ts";
import { StatePanel } from "../components/state-panel.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { JobTable, type JobAction } from "./job-table.tsx";
import { Pager } from "./pager.tsx";

const POLL_MS = 2_000;
const PAGE_SIZE = 25;

/** What the confirm dialog is asking about. */
type Pending = { action: JobAction; ids: string[] } | { action: "clean"; state: QueueJobState };

const isState = (value: string | null): value is QueueJobState => QUEUE_JOB_STATES.includes(value as QueueJobState);
const isCleanable = (state: QueueJobState) => (CLEANABLE_STATES as readonly string[]).includes(state);

const ACTION_TEXT: Record<JobAction, { title: string; label: string; body: string }> = {
  retry: { title: "Retry", label: "Retry", body: "moves it back to waiting with its attempts reset; a worker processes it again." },
  promote: { title: "Promote", label: "Promote", body: "moves it from delayed to waiting now, without waiting for its delay." },
  remove: { title: "Remove", label: "Remove", body: "deletes it from the queue for good. It is not processed." },
};

/** One queue: state tabs with counts, the jobs of the state (paged, live), actions behind a confirmation. */
export function QueueJobs({ name }: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const stateParam = params.get("state");
  const state: QueueJobState = isState(stateParam) ? stateParam : "failed";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const open = params.get("open") ?? undefined;
  const go = (patch: { state?: QueueJobState; page?: number; open?: string | null }) => {
    const next = new URLSearchParams({ state: patch.state ?? state });
    const nextPage = patch.page ?? (patch.state ? 1 : page);
    if (nextPage > 1) next.set("page", String(nextPage));
    const nextOpen = patch.open === undefined ? open : patch.open;
    if (nextOpen) next.set("open", nextOpen);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  const query = useQuery(trpc.queues.jobs.queryOptions({ queue: name, state, page, pageSize: PAGE_SIZE }, { refetchInterval: POLL_MS, placeholderData: keepPreviousData }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.queues.jobs.queryKey() });
  const [result, setResult] = useState<string | null>(null);
  const report = (outcomes: { status: string; message: string | null }[], verb: string) => {
    const done = outcomes.filter((o) => o.status === "done").length;
    const problems = outcomes.filter((o) => o.status !== "done").map((o) => o.message ?? o.status);
    setResult([`${done} ${verb}`, ...problems].join(" · "));
    refresh();
  };
  const retry = useMutation(trpc.queues.retry.mutationOptions({ onSuccess: (o) => report(o, "retried") }));
  const promote = useMutation(trpc.queues.promote.mutationOptions({ onSuccess: (o) => report(o, "promoted") }));
  const remove = useMutation(trpc.queues.remove.mutationOptions({ onSuccess: (o) => report(o, "removed") }));
  const clean = useMutation(
    trpc.queues.clean.mutationOptions({ onSuccess: ({ removed }) => (setResult(`${removed.length} cleaned`), refresh()) }),
  );
  const mutations = { retry, promote, remove };
  const isBusy = retry.isPending || promote.isPending || remove.isPending || clean.isPending;
  const failure = [retry, promote, remove, clean].find((m) => m.isError)?.error;
  const [pending, setPending] = useState<Pending | null>(null);
  const confirm = () => {
    if (!pending) return;
    setResult(null);
    if (pending.action === "clean") clean.mutate({ queue: name, state: pending.state as CleanableState });
    else mutations[pending.action].mutate({ queue: name, ids: pending.ids });
  };
  const data = query.data;
  const counts = data?.queue.counts;

  return (
    <div className="flex h-full flex-col">
      <div className="flex flex-wrap items-baseline gap-3 px-4 pt-3">
        <Link href="/queues" className="text-muted hover:text-accent hover:underline">Queues</Link>
        <span className="text-muted">/</span>
        <h1 className="max-w-[50%] truncate font-mono text-[14px] font-semibold" title={name} data-testid="queue-name">{name}</h1>
        <span className="text-muted" aria-live="polite">
          {data ? `${data.queue.throughputPerMin}${data.queue.isThroughputCapped ? "+" : ""}/min · live` : ""}
        </span>
        <div className="ml-auto flex items-center gap-3">
          {result && <span className="text-muted" data-testid="action-result">{result}</span>}
          {failure && <span className="text-danger">{errorMessageOf(failure)}</span>}
          {isCleanable(state) && (
            <button type="button" data-testid="clean-state" disabled={isBusy || !counts?.[state]}
              onClick={() => setPending({ action: "clean", state })}
              className="rounded-md border border-danger/50 px-3 py-1 text-danger hover:bg-danger-bg disabled:cursor-not-allowed disabled:opacity-40">
              Clean {state}…
            </button>
          )}
        </div>
      </div>
      <nav aria-label="Job states" className="flex flex-wrap gap-1 border-b border-line px-4 pt-2">
        {QUEUE_JOB_STATES.map((s) => (
          <button key={s} type="button" data-testid={`state-tab-${s}`} aria-current={s === state ? "page" : undefined} onClick={() => go({ state: s, open: null })}
            className={`-mb-px rounded-t-md border px-2.5 py-1 ${s === state ? "border-line border-b-bg bg-bg font-medium" : "border-transparent text-muted hover:text-fg"}`}>
            {s} <span className="tabular-nums text-muted">{counts?.[s] ?? "·"}</span>
          </button>
        ))}
      </nav>
      <div className="min-h-0 flex-1 overflow-auto">
        {query.isPending ? (
          <div className="p-4 text-muted">Loading jobs…</div>
        ) : query.isError && !data ? (
          <StatePanel title="Could not load jobs" tone="danger" testId="jobs-error">{errorMessageOf(query.error)} Retrying every two seconds.</StatePanel>
        ) : !data || data.jobs.length === 0 ? (
          <StatePanel title={`No ${state} jobs`}>This list updates by itself.</StatePanel>
        ) : (
          <JobTable jobs={data.jobs} openId={open} isBusy={isBusy}
            onToggleOpen={(id) => go({ open: open === id ? null : id })}
            onAction={(action, id) => setPending({ action, ids: [id] })} />
        )}
      </div>
      {data && data.pages > 1 && <Pager page={data.page} pages={data.pages} onPage={(next) => go({ page: next })} />}
      <ConfirmDialog isOpen={pending !== null} onClose={() => setPending(null)} onConfirm={confirm}
        isDanger={pending?.action === "remove" || pending?.action === "clean"}
        title={pending?.action === "clean" ? `Clean ${pending.state} jobs of ${name}?` : pending ? `${ACTION_TEXT[pending.action].title} job ${pending.ids.join(", ")}?` : ""}
        actionLabel={pending?.action === "clean" ? `Clean ${pending.state}` : pending ? ACTION_TEXT[pending.action].label : ""}>
        {pending?.action === "clean"
          ? `Removes every ${pending.state} job of this queue (${counts?.[pending.state] ?? 0} now) and nothing else. This cannot be undone.`
          : pending ? `This ${ACTION_TEXT[pending.action].body}` : null}
      </ConfirmDialog>
    </div>
  );
}
