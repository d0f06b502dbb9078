"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { SagaRequestAnswer } from "../../../services/contracts/flow.ts";
import type { Saga } from "../../../server/saga/types.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { errorMessageOf } from "../../lib/errors.ts";
import { useNow } from "../../lib/use-now.ts";
import { useTRPC } from "../../lib/trpc.ts";

const clock = (ms: number) => new Date(ms).toLocaleTimeString();

/** "in 4 s" / "4 s ago", for a time `ms` relative to `nowMs`. */
function relative(ms: number, nowMs: number): string {
  const seconds = Math.round((ms - nowMs) / 1000);
  if (seconds === 0) return ms >= nowMs ? "in under a second" : "just now";
  return seconds > 0 ? `in ${seconds} s` : `${-seconds} s ago`;
}

/** What the orchestrator will do with a request, in words (the answer of `sagas.request`). */
function describe(answer: SagaRequestAnswer, kind: "cancel" | "retry"): string {
  if (answer.outcome === "already-requested") return kind === "cancel" ? "Cancel was already requested; the saga compensates once." : "A retry of this attempt was already requested; it runs once.";
  return kind === "cancel" ? "Cancel requested: the saga stops going forward and undoes what took effect, latest first." : `Retry requested: ${answer.currentStep ?? "the step"} is tried again now.`;
}

/**
 * What a running saga waits for, and what a person can do about it (like Temporal's workflow
 * actions): retry the waiting step now, or cancel the saga (compensate now). Both go through the
 * gateway to the order service, are idempotent (a second click acts not) and are recorded as
 * `saga.request` spans, which show on the timeline.
 */
export function SagaActions({ saga }: { saga: Saga }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const nowMs = useNow();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.sagas.get.queryKey() });
  const request = useMutation(
    trpc.sagas.request.mutationOptions({
      onSuccess: (answer, input) => (setResult(describe(answer, input.kind)), refresh()),
      onError: () => setResult(null),
    }),
  );
  const forward = saga.status === "running" || (saga.status === "stuck" && !saga.steps.some((s) => s.compensations.length > 0 || s.state === "failed"));
  const ended = saga.status === "completed" || saga.status === "compensated";
  // After a request the panel stays until the saga ends, so its answer stays readable.
  if (!saga.orderId || !(forward || saga.stuckReason || (result && !ended))) return null;
  const { pending } = saga;
  const cancelRequested = saga.markers.some((m) => m.kind === "cancel" && (m.outcome === "accepted" || m.outcome === "already-requested"));

  return (
    <section data-testid="saga-actions" className="mx-4 mt-3 rounded-md border border-line bg-subtle px-3 py-2 text-[12px]">
      {pending && (
        <p data-testid="saga-pending">
          <span className="font-medium text-warn">Waiting</span>: <span className="font-medium">{pending.step}</span> got no answer on attempt{" "}
          <span data-testid="saga-pending-attempt">{pending.attempts}</span>
          {pending.lastError && <span className="text-muted"> ({pending.lastError})</span>}.{" "}
          {pending.nextAttemptAtMs !== null ? (
            <span title={clock(pending.nextAttemptAtMs)}>
              Attempt {pending.attempts + 1} {pending.nextAttemptAtMs > nowMs ? relative(pending.nextAttemptAtMs, nowMs) : "is due"} ({clock(pending.nextAttemptAtMs)}).
            </span>
          ) : (
            "No further attempt: the saga gives up and compensates."
          )}
          {pending.giveUpAtMs !== null && <span className="text-muted"> Gives up and compensates at {clock(pending.giveUpAtMs)}.</span>}
        </p>
      )}
      {saga.stuckReason && (
        <p data-testid="saga-stuck-reason" className="mt-0.5 text-warn">
          Stuck: {saga.stuckReason}
        </p>
      )}
      {!forward && result && <p data-testid="saga-action-result" className="text-muted">{result}</p>}
      {forward && (
        <div className="mt-1.5 flex flex-wrap items-center gap-2">
          <button type="button" data-testid="saga-retry" disabled={!pending || request.isPending || cancelRequested}
            title={pending ? `Try ${pending.step} again now instead of at its scheduled time` : "Only a step waiting for its next attempt can be retried"}
            onClick={() => { setResult(null); request.mutate({ orderId: saga.orderId!, kind: "retry", afterAttempt: pending!.attempts }); }}
            className="rounded border border-line-strong px-2 py-0.5 hover:bg-hover disabled:opacity-50">
            Retry {pending ? pending.step : "step"} now
          </button>
          <button type="button" data-testid="saga-cancel" disabled={request.isPending || cancelRequested}
            onClick={() => setConfirming(true)}
            className="rounded border border-danger/50 px-2 py-0.5 text-danger hover:bg-danger-bg disabled:opacity-50">
            {cancelRequested ? "Cancel requested" : "Cancel saga (compensate now)"}
          </button>
          {result && <span data-testid="saga-action-result" className="text-muted">{result}</span>}
          {request.isError && <span data-testid="saga-action-error" className="text-danger">{errorMessageOf(request.error)}</span>}
        </div>
      )}
      <ConfirmDialog isOpen={confirming} title={`Cancel the saga of order ${saga.orderId}?`} actionLabel="Cancel saga" dismissLabel="Keep it running" isDanger
        onClose={() => setConfirming(false)}
        onConfirm={() => { setResult(null); request.mutate({ orderId: saga.orderId!, kind: "cancel" }); }}>
        It stops going forward{pending ? ` (${pending.step} is not tried again)` : ""} and undoes every step that took effect, latest first. The order ends COMPENSATED, or REJECTED if nothing took effect.
      </ConfirmDialog>
    </section>
  );
}
