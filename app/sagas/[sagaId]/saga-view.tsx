"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { Saga } from "../../../server/saga/types.ts";
import { formatDuration, nsToMs, shortId } from "../../lib/format.ts";
import { StatePanel } from "../../components/state-panel.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { errorCodeOf, errorMessageOf } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { SagaActions } from "./saga-actions.tsx";
import { SagaTimeline } from "./saga-timeline.tsx";

const POLL_MS = 1_000;

/** Polled until it ends: a stuck saga may move again (its service restarts, a person acts). */
const isLive = (saga: Saga | undefined) => !saga || (saga.status !== "completed" && saga.status !== "compensated");

/** One saga: header, steps in plan order on a timeline, compensations and resumes; polled while it runs. */
export function SagaView({ sagaId }: { sagaId: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.sagas.get.queryOptions(
      { sagaId },
      { refetchInterval: (q) => (q.state.error && errorCodeOf(q.state.error) !== "NOT_FOUND" ? false : isLive(q.state.data?.saga) ? POLL_MS : false), retry: false },
    ),
  );
  if (query.isPending) return <div className="p-4 text-muted">Loading saga…</div>;
  if (!query.data) {
    const isMissing = errorCodeOf(query.error) === "NOT_FOUND";
    return (
      <StatePanel title={isMissing ? "Saga not found (yet)" : "Could not load this saga"} tone="danger" testId="saga-error">
        {isMissing ? `No spans are stored for saga ${sagaId}; still looking…` : errorMessageOf(query.error)}{" "}
        <Link href="/sagas" className="text-accent underline">
          Back to sagas
        </Link>
      </StatePanel>
    );
  }
  const { saga } = query.data;
  return (
    <div className="h-full overflow-y-auto" data-testid="saga-view">
      <SagaHeader saga={saga} live={isLive(saga)} />
      <SagaActions saga={saga} />
      <SagaTimeline saga={saga} />
      <CompensationOrder saga={saga} />
    </div>
  );
}

function SagaHeader({ saga, live }: { saga: Saga; live: boolean }) {
  const started = new Date(nsToMs(saga.startNs));
  return (
    <div className="border-b border-line px-4 py-2.5">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-[15px] font-semibold">Saga {saga.name}</h1>
        <span className="font-mono text-[12px] text-muted" data-testid="saga-id">
          {saga.sagaId}
        </span>
        <StatusBadge status={saga.status} testId="saga-status" />
        {live && (
          <span className="inline-flex items-center gap-1.5 text-[12px] text-ok">
            <span className="size-1.5 animate-pulse rounded-full bg-ok" /> live
          </span>
        )}
      </div>
      <dl className="mt-1.5 flex flex-wrap items-center gap-x-5 gap-y-1 text-[12px]">
        <Fact label="Order" value={saga.orderId ?? "–"} mono />
        <Fact label="Style" value={saga.style ?? "–"} />
        <Fact label="Started" value={started.toLocaleString()} />
        <Fact label="Duration" value={saga.endOffsetNs === null ? `${formatDuration(saga.lastActivityOffsetNs)} so far` : formatDuration(saga.endOffsetNs)} />
        {saga.currentStep && <Fact label="Current step" value={saga.currentStep} />}
        {/* While it runs forward, a failed attempt's error is in the waiting panel, not a reason. */}
        {saga.reason && saga.status !== "running" && <Fact label="Reason" value={saga.reason} tone="danger" />}
        <div className="flex flex-wrap items-center gap-2">
          <dt className="text-muted">Traces</dt>
          {saga.traceIds.map((id, i) => (
            <dd key={id}>
              <Link href={`/traces/${id}`} className="font-mono text-accent hover:underline" title={i === 0 ? "Started in this trace" : "Resumed in this trace"}>
                {shortId(id)}
              </Link>
              {i > 0 && <span className="text-muted"> (resumed)</span>}
            </dd>
          ))}
        </div>
      </dl>
    </div>
  );
}

/** The order compensations ran in; a correct saga undoes its steps in reverse plan order. */
function CompensationOrder({ saga }: { saga: Saga }) {
  if (saga.compensationOrder.length === 0) return null;
  const planIndex = (step: string) => saga.plan.indexOf(step);
  const isReverse = saga.compensationOrder.every((s, i, all) => i === 0 || planIndex(all[i - 1]!) > planIndex(s));
  return (
    <section className="mx-4 mb-4 rounded-md border border-line bg-subtle px-3 py-2 text-[12px]" data-testid="compensation-order">
      <span className="mr-2 font-medium">Compensations ran</span>
      {saga.compensationOrder.map((step, i) => (
        <span key={`${step}-${i}`}>
          {i > 0 && <span className="mx-1.5 text-muted">→</span>}
          <span className={`rounded px-1.5 py-0.5 ${saga.noopCompensations.includes(step) ? "bg-hover text-muted" : "bg-warn-bg text-warn"}`}>
            ↩{i + 1} {step}
            {saga.noopCompensations.includes(step) && " (nothing to undo)"}
          </span>
        </span>
      ))}
      <span className={`ml-3 ${isReverse ? "text-muted" : "text-danger"}`}>{isReverse ? "reverse plan order" : "not in reverse plan order"}</span>
    </section>
  );
}

function Fact({ label, value, mono, tone }: { label: string; value: string; mono?: boolean; tone?: "danger" }) {
  return (
    <div className="flex gap-1.5">
      <dt className="text-muted">{label}</dt>
      <dd className={`font-medium ${mono ? "font-mono" : ""} ${tone === "danger" ? "text-danger" : ""}`}>{value}</dd>
    </div>
  );
}
