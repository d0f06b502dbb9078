/**
 * Rebuilds sagas from stored spans only. Spans are classified by their `app.saga.*` attributes,
 * never by name (contracts/flow.ts): `app.saga.steps` = start, `app.saga.action` = a step attempt,
 * `app.saga.status` terminal = end, non-terminal = resume. A saga's spans may be spread over
 * several traces (resumed after a crash), so everything is grouped by `app.saga.id`.
 */
import { Attr } from "../../services/contracts/semconv.ts";
import type { SagaStatus } from "../../services/contracts/flow.ts";
import type { StoredSpan } from "../store/types.ts";
import type { Saga, SagaAttempt, SagaMarker, SagaStepState, SagaStepView } from "./types.ts";

/** Default age of the last saga span after which an unfinished saga counts as stuck. */
export const DEFAULT_STUCK_AFTER_MS = 30_000;

export type BuildSagaOptions = {
  /** The current time (epoch ms): a saga is stuck when its last span ended long before it. */
  nowMs: number;
  stuckAfterMs?: number;
};

const TERMINAL = new Set(["completed", "compensated"]);

function str(span: StoredSpan, key: string): string | null {
  const v = span.attributes[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
}

function startOf(span: StoredSpan): bigint {
  return BigInt(span.startTimeUnixNano);
}

function endOf(span: StoredSpan): bigint {
  return BigInt(span.endTimeUnixNano);
}

/** Groups spans by `app.saga.id` and rebuilds each saga, newest first. */
export function buildSagas(spans: readonly StoredSpan[], options: BuildSagaOptions): Saga[] {
  const bySaga = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const id = str(span, Attr.SAGA_ID);
    if (!id) continue;
    const list = bySaga.get(id) ?? [];
    list.push(span);
    bySaga.set(id, list);
  }
  const sagas = [...bySaga.values()].map((list) => buildSaga(list, options)).filter((s): s is Saga => s !== null);
  return sagas.sort((a, b) => (BigInt(b.startNs) > BigInt(a.startNs) ? 1 : BigInt(b.startNs) < BigInt(a.startNs) ? -1 : 0));
}

type Classified = {
  start: StoredSpan | null;
  resumes: StoredSpan[];
  end: StoredSpan | null;
  attempts: StoredSpan[];
  /** People's requests (`app.saga.request`: cancel, retry). */
  requests: StoredSpan[];
};

function classify(spans: readonly StoredSpan[]): Classified {
  const out: Classified = { start: null, resumes: [], end: null, attempts: [], requests: [] };
  for (const span of spans) {
    const status = str(span, Attr.SAGA_STATUS);
    if (str(span, Attr.SAGA_REQUEST) !== null) out.requests.push(span);
    else if (str(span, Attr.SAGA_ACTION) !== null) out.attempts.push(span);
    else if (Array.isArray(span.attributes[Attr.SAGA_STEPS])) out.start ??= span;
    else if (status !== null && TERMINAL.has(status)) out.end ??= span;
    else if (status !== null) out.resumes.push(span);
  }
  out.attempts.sort((a, b) => (startOf(a) < startOf(b) ? -1 : startOf(a) > startOf(b) ? 1 : a.spanId.localeCompare(b.spanId)));
  out.resumes.sort((a, b) => (startOf(a) < startOf(b) ? -1 : 1));
  out.requests.sort((a, b) => (startOf(a) < startOf(b) ? -1 : 1));
  return out;
}

/** The plan from `saga.start`; without one, the steps seen, by their index. */
function planOf(c: Classified): string[] {
  const planned = c.start?.attributes[Attr.SAGA_STEPS];
  const plan = Array.isArray(planned) ? planned.filter((s): s is string => typeof s === "string") : [];
  const seen = c.attempts
    .map((s) => ({ step: str(s, Attr.SAGA_STEP) ?? "?", index: Number(s.attributes[Attr.SAGA_STEP_INDEX] ?? 0) }))
    .sort((a, b) => a.index - b.index);
  for (const { step } of seen) if (!plan.includes(step)) plan.push(step);
  return plan;
}

function toAttempt(span: StoredSpan, origin: bigint): SagaAttempt {
  const outcome = str(span, Attr.SAGA_STEP_OUTCOME);
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    action: str(span, Attr.SAGA_ACTION) === "compensate" ? "compensate" : "execute",
    outcome: outcome === "succeeded" || outcome === "failed" ? outcome : null,
    reason: str(span, Attr.SAGA_REASON),
    offsetNs: Number(startOf(span) - origin),
    durationNs: Number(endOf(span) - startOf(span)),
    isError: span.status.code === "ERROR",
    noop: span.attributes[Attr.UNDO_NOOP] === true,
    attempt: num(span, Attr.SAGA_STEP_ATTEMPT),
    nextAttemptAtMs: num(span, Attr.SAGA_NEXT_ATTEMPT_AT_MS),
  };
}

function num(span: StoredSpan, key: string): number | null {
  const v = span.attributes[key];
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function stepState(executions: SagaAttempt[], compensations: SagaAttempt[]): SagaStepState {
  // A compensation that found nothing to undo means the step never took effect: it failed.
  if (compensations.some((a) => a.outcome === "succeeded" && !a.noop)) return "compensated";
  if (compensations.some((a) => a.outcome === "succeeded" && a.noop)) return "failed";
  const last = executions[executions.length - 1];
  if (!last) return "pending";
  if (last.outcome === "succeeded") return "succeeded";
  if (last.outcome === "failed") return last.nextAttemptAtMs !== null ? "waiting" : "failed";
  return "running";
}

/** Rebuilds one saga from its spans (any order, any number of traces); null without saga spans. */
export function buildSaga(spans: readonly StoredSpan[], options: BuildSagaOptions): Saga | null {
  const first = spans.find((s) => str(s, Attr.SAGA_ID) !== null);
  if (!first) return null;
  const c = classify(spans);
  const origin = spans.reduce((min, s) => (startOf(s) < min ? startOf(s) : min), startOf(first));
  const latest = spans.reduce((max, s) => (endOf(s) > max ? endOf(s) : max), endOf(first));
  const plan = planOf(c);
  const attempts = c.attempts.map((s) => ({ span: s, attempt: toAttempt(s, origin) }));
  const steps: SagaStepView[] = plan.map((name, index) => {
    const mine = attempts.filter((a) => str(a.span, Attr.SAGA_STEP) === name).map((a) => a.attempt);
    const executions = mine.filter((a) => a.action === "execute");
    const compensations = mine.filter((a) => a.action === "compensate");
    return { name, index, executions, compensations, state: stepState(executions, compensations) };
  });
  // Once the saga compensates or has ended, a step left waiting will not be tried again: it failed.
  if (c.end || attempts.some((a) => a.attempt.action === "compensate")) for (const step of steps) if (step.state === "waiting") step.state = "failed";
  const compensated = attempts.filter((a) => a.attempt.action === "compensate" && a.attempt.outcome === "succeeded");
  const compensationOrder = compensated.map((a) => str(a.span, Attr.SAGA_STEP) ?? "?");
  const noopCompensations = compensated.filter((a) => a.attempt.noop).map((a) => str(a.span, Attr.SAGA_STEP) ?? "?");
  const status = deriveStatus(c, steps, latest, options);
  markRunningStep(steps, status);
  const pending = pendingOf(steps, attempts.map((a) => a.span));
  return {
    sagaId: str(first, Attr.SAGA_ID)!,
    name: str(c.start ?? first, Attr.SAGA_NAME) ?? "saga",
    orderId: pick(spans, Attr.ORDER_ID),
    style: pick(spans, Attr.ORDER_STYLE),
    status,
    reason: (c.end && str(c.end, Attr.SAGA_REASON)) ?? attempts.find((a) => a.attempt.outcome === "failed")?.attempt.reason ?? null,
    plan,
    steps,
    compensationOrder,
    noopCompensations,
    markers: markersOf(c, origin),
    traceIds: traceIdsOf(c),
    startNs: origin.toString(),
    endOffsetNs: c.end ? Number(endOf(c.end) - origin) : null,
    lastActivityOffsetNs: Number(latest - origin),
    currentStep: currentStepOf(steps, status),
    pending: status === "running" || status === "stuck" ? pending : null,
    stuckReason: status === "stuck" ? stuckReasonOf(steps, pending, latest, options) : null,
    spanCount: spans.length,
  };
}

function pick(spans: readonly StoredSpan[], key: string): string | null {
  for (const s of spans) {
    const v = str(s, key);
    if (v !== null) return v;
  }
  return null;
}

function deriveStatus(c: Classified, steps: SagaStepView[], latest: bigint, o: BuildSagaOptions): SagaStatus {
  const ended = c.end ? str(c.end, Attr.SAGA_STATUS) : null;
  if (ended === "completed" || ended === "compensated") return ended;
  // A step waiting for its next attempt is idle on purpose until that attempt is due.
  const due = Math.max(Number(latest / 1_000_000n), ...steps.filter((s) => s.state === "waiting").map((s) => s.executions.at(-1)?.nextAttemptAtMs ?? 0));
  if (o.nowMs - due > (o.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS)) return "stuck";
  const isCompensating = steps.some((s) => s.state === "failed" || s.compensations.length > 0);
  return isCompensating ? "compensating" : "running";
}

/** While a saga runs forward, the first step without a span is the one in progress. */
function markRunningStep(steps: SagaStepView[], status: SagaStatus): void {
  if (status !== "running" || steps.some((s) => s.state === "waiting")) return;
  const next = steps.find((s) => s.state === "pending");
  if (next) next.state = "running";
}

function currentStepOf(steps: SagaStepView[], status: SagaStatus): string | null {
  if (status === "completed" || status === "compensated") return null;
  if (status === "compensating" || (status === "stuck" && steps.some((s) => s.state === "failed"))) {
    // The next compensation runs on the latest succeeded step before the failure.
    const toUndo = [...steps].reverse().find((s) => s.state === "succeeded");
    return toUndo?.name ?? steps.find((s) => s.state === "failed")?.name ?? null;
  }
  return steps.find((s) => s.state === "waiting" || s.state === "running" || s.state === "pending")?.name ?? null;
}

/** The step waiting for its next attempt, from its last `saga.execute` span. */
function pendingOf(steps: SagaStepView[], spans: readonly StoredSpan[]): Saga["pending"] {
  const step = steps.find((s) => s.state === "waiting");
  const last = step?.executions.at(-1);
  if (!step || !last) return null;
  const span = spans.find((s) => s.spanId === last.spanId);
  return {
    step: step.name,
    attempts: last.attempt ?? step.executions.length,
    lastError: last.reason,
    nextAttemptAtMs: last.nextAttemptAtMs,
    giveUpAtMs: span ? num(span, Attr.SAGA_GIVE_UP_AT_MS) : null,
  };
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** Why a stuck saga does not move, from what its spans last said. */
function stuckReasonOf(steps: SagaStepView[], pending: Saga["pending"], latest: bigint, o: BuildSagaOptions): string {
  const idleS = Math.round((o.nowMs - Number(latest / 1_000_000n)) / 1000);
  const restart = "the order service may be down or stopped (it resumes unfinished sagas when it starts)";
  if (pending?.nextAttemptAtMs) {
    return `attempt ${pending.attempts + 1} at ${pending.step} was due at ${clock(pending.nextAttemptAtMs)} UTC and has not run: ${restart}. Last error: ${pending.lastError ?? "none recorded"}`;
  }
  const lastCompensation = steps.flatMap((s) => s.compensations.map((a) => ({ step: s.name, a }))).sort((x, y) => x.a.offsetNs - y.a.offsetNs).at(-1);
  if (lastCompensation?.a.outcome === "failed") {
    return `undoing ${lastCompensation.step} last failed ${idleS} s ago (${lastCompensation.a.reason ?? "no reason recorded"}) and has not been tried since: ${restart}`;
  }
  const running = steps.find((s) => s.state === "running" || s.state === "pending");
  return `no saga span for ${idleS} s${running ? ` while ${running.name} was next` : ""}: ${restart}`;
}

function markersOf(c: Classified, origin: bigint): SagaMarker[] {
  const mark = (kind: SagaMarker["kind"], s: StoredSpan): SagaMarker => ({
    kind,
    outcome: null,
    traceId: s.traceId,
    spanId: s.spanId,
    offsetNs: Number(startOf(s) - origin),
  });
  const request = (s: StoredSpan): SagaMarker => ({ ...mark(str(s, Attr.SAGA_REQUEST) === "retry" ? "retry" : "cancel", s), outcome: str(s, Attr.SAGA_REQUEST_OUTCOME) });
  return [
    ...(c.start ? [mark("start", c.start)] : []),
    ...c.resumes.map((s) => mark("resume", s)),
    ...c.requests.map(request),
    ...(c.end ? [mark("end", c.end)] : []),
  ].sort((a, b) => a.offsetNs - b.offsetNs);
}

/**
 * The traces the saga ran in: those of its own spans (start, attempts, resumes, end). A person's
 * request arrives in its own trace, linked from its marker; other spans that merely name the saga
 * (the gateway's span of a request) are not the saga's.
 */
function traceIdsOf(c: Classified): string[] {
  const own = [...(c.start ? [c.start] : []), ...c.attempts, ...c.resumes, ...(c.end ? [c.end] : [])];
  const ordered = own.sort((a, b) => (startOf(a) < startOf(b) ? -1 : 1)).map((s) => s.traceId);
  const ids = new Set<string>(c.start ? [c.start.traceId] : []);
  for (const id of ordered) ids.add(id);
  return [...ids];
}
