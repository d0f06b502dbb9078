import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { TRPCClientError, type OperationLink, type TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import { isBrokenCircuitError } from "cockatiel";
import { Attr, RPC_SYSTEM_TRPC, type DependencyPolicyInput } from "../../contracts/index.ts";
import { clientFaultsFor } from "../chaos/agent.ts";
import { chaosOfAnswer, connectionRefused, injectedUnavailable, markChaos, sleep } from "../chaos/inject.ts";
import { shouldInject } from "../chaos/match.ts";
import { recordSpanError, splitRpcPath } from "../trpc.ts";
import { TRPC_BASE_PATH } from "../../shared/trpc-paths.ts";
import { errorTypeOf, unavailableError, timeoutError } from "./call-errors.ts";
import { isTimeoutError, isTransientError } from "./classify.ts";
import { FALLBACK_KEY, type FallbackOption } from "./fallback.ts";
import type { AttemptInfo, ResiliencePolicy } from "./policy.ts";
import { breakerRateAttributes, getResiliencePolicy } from "./registry.ts";

/** Key under `op.context` where an attempt leaves its W3C headers for `httpLink`. */
export const TRACE_HEADERS = "traceHeaders";

type Envelope = Parameters<Parameters<ReturnType<OperationLink<AnyRouter>>["subscribe"]>[0]["next"] & object>[0];
type Op = Parameters<OperationLink<AnyRouter>>[0]["op"];
type Next = Parameters<OperationLink<AnyRouter>>[0]["next"];
type Call = { op: Op; next: Next; baseUrl: URL; policy: ResiliencePolicy; callSpan: Span };

const tracer = () => trace.getTracer("switchyard-trpc");

function rpcAttributes(baseUrl: URL, path: string) {
  const { service, method } = splitRpcPath(path);
  return {
    [Attr.RPC_SYSTEM]: RPC_SYSTEM_TRPC,
    [Attr.RPC_SERVICE]: service,
    [Attr.RPC_METHOD]: method,
    [Attr.SERVER_ADDRESS]: baseUrl.hostname,
    [Attr.SERVER_PORT]: Number(baseUrl.port || 80),
    [Attr.URL_FULL]: `${baseUrl.origin}${TRPC_BASE_PATH}/${path}`,
  };
}

/** Runs one `next(op)` to completion as a promise; aborting `signal` unsubscribes (aborts the fetch). */
function sendOnce(next: Next, op: Op, signal: AbortSignal): Promise<Envelope> {
  return new Promise((resolve, reject) => {
    let last: Envelope | undefined;
    const subscription = next(op).subscribe({
      next: (value) => void (last = value),
      error: reject,
      complete: () => (last ? resolve(last) : reject(new Error("tRPC call completed without a result"))),
    });
    signal.addEventListener(
      "abort",
      () => {
        subscription.unsubscribe();
        reject(signal.reason ?? new Error("aborted"));
      },
      { once: true },
    );
  });
}

/** Sync chaos on this link: the dependency down, added latency, injected 503s. */
async function applyClientFaults(call: Call, span: Span, signal: AbortSignal): Promise<void> {
  const faults = clientFaultsFor(call.policy.name).filter((f) => shouldInject(f));
  if (faults.length === 0) return;
  markChaos(span, faults);
  const down = faults.find((f) => f.fault === "down");
  if (down) throw connectionRefused(call.baseUrl, down.experimentId);
  for (const fault of faults) if (fault.fault === "latency") await sleep(fault.latencyMs, signal);
  const error = faults.find((f) => f.fault === "error");
  if (error) throw injectedUnavailable(error.experimentId);
}

/** One attempt = one CLIENT span (child of the logical call span) and one HTTP request. */
async function runAttempt(call: Call, info: AttemptInfo): Promise<Envelope> {
  const parent = trace.setSpan(context.active(), call.callSpan);
  const span = tracer().startSpan(call.op.path, {
    kind: SpanKind.CLIENT,
    attributes: {
      ...rpcAttributes(call.baseUrl, call.op.path),
      [Attr.BREAKER_NAME]: call.policy.name,
      [Attr.BREAKER_STATE]: info.breakerState,
      [Attr.BREAKER_WINDOW_MS]: call.policy.settings.windowMs,
      [Attr.RETRY_ATTEMPT]: info.attempt,
      [Attr.RETRY_DELAY_MS]: info.delayMs,
    },
  }, parent);
  const started = performance.now();
  try {
    await applyClientFaults(call, span, info.signal);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), headers);
    // The attempt span is active during the request: discovery records the chosen instance on it.
    const op = { ...call.op, context: { ...call.op.context, [TRACE_HEADERS]: headers } };
    const result = await context.with(trace.setSpan(parent, span), () => sendOnce(call.next, op, info.signal));
    if (performance.now() - started >= call.policy.settings.slowCallDurationMs) span.setAttribute(Attr.BREAKER_SLOW_CALL, true);
    return result;
  } catch (error) {
    const failure = isTimeoutError(error) || info.signal.aborted ? timeoutError(call.policy, call.op.path) : error;
    const chaos = chaosOfAnswer(failure);
    if (chaos) markChaos(span, [chaos]);
    recordSpanError(span, failure, errorTypeOf(failure));
    throw failure;
  } finally {
    span.end();
  }
}

/** A short-circuited attempt: a CLIENT span with no request behind it, showing the fallback. */
function recordRejected(call: Call, info: { attempt: number; delayMs: number; breakerState: string }, fallback?: FallbackOption): void {
  const span = tracer().startSpan(call.op.path, {
    kind: SpanKind.CLIENT,
    attributes: {
      ...rpcAttributes(call.baseUrl, call.op.path),
      [Attr.BREAKER_NAME]: call.policy.name,
      [Attr.BREAKER_STATE]: info.breakerState,
      [Attr.BREAKER_WINDOW_MS]: call.policy.settings.windowMs,
      [Attr.BREAKER_REJECTED]: true,
      [Attr.RETRY_ATTEMPT]: info.attempt,
      [Attr.RETRY_DELAY_MS]: info.delayMs,
      ...(fallback ? { [Attr.FALLBACK_USED]: fallback.description } : {}),
      ...breakerRateAttributes(call.policy.breaker.stats()),
    },
  }, trace.setSpan(context.active(), call.callSpan));
  span.setStatus({ code: SpanStatusCode.ERROR, message: `circuit breaker ${call.policy.name} is open` });
  span.setAttribute(Attr.ERROR_TYPE, "CIRCUIT_OPEN");
  span.end();
}

/** The logical call: policies around the attempts, then the fallback for transient failures. */
async function runCall(call: Call, fallback: FallbackOption | undefined): Promise<Envelope> {
  const { callSpan, policy } = call;
  try {
    return await policy.execute((info) => runAttempt(call, info), {
      isUnsafeToRepeat: call.op.type === "mutation" && !policy.settings.mutationsIdempotent,
      onRejected: (info) => recordRejected(call, info, fallback),
    });
  } catch (error) {
    const failure = isBrokenCircuitError(error)
      ? unavailableError(policy, call.op.path)
      : isTimeoutError(error) ? timeoutError(policy, call.op.path) : error;
    if (!fallback || !(isBrokenCircuitError(error) || isTransientError(failure))) {
      recordSpanError(callSpan, failure, errorTypeOf(failure));
      throw failure;
    }
    callSpan.setAttribute(Attr.FALLBACK_USED, fallback.description);
    callSpan.addEvent("fallback", { [Attr.FALLBACK_USED]: fallback.description, [Attr.ERROR_TYPE]: errorTypeOf(failure) });
    return { result: { type: "data", data: fallback.value(failure as TRPCClientError<AnyRouter>) } } as Envelope;
  }
}

/**
 * The resilience link of every service-to-service client: a logical call span `call <path>`
 * (INTERNAL, with the breaker's name and state), one CLIENT span per attempt under it, timeout,
 * retry with jittered exponential backoff for transient errors, the dependency's circuit breaker,
 * sync chaos faults, and the caller's fallback (see `withFallback`).
 */
export function resilienceLink<TRouter extends AnyRouter>(baseUrl: URL, overrides?: DependencyPolicyInput): TRPCLink<TRouter> {
  // Resolved once per dependency per client (settings are validated on first use, not per call).
  const resolved = new Map<string, ResiliencePolicy>();
  const policyFor = (path: string) => {
    const dependency = splitRpcPath(path).service.split(".")[0] || path;
    let policy = resolved.get(dependency);
    if (!policy) resolved.set(dependency, (policy = getResiliencePolicy(dependency, overrides)));
    return policy;
  };
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const policy = policyFor(op.path);
        const callSpan = tracer().startSpan(`call ${op.path}`, {
          kind: SpanKind.INTERNAL,
          attributes: {
            [Attr.BREAKER_NAME]: policy.name,
            [Attr.BREAKER_STATE]: policy.breaker.state,
            [Attr.BREAKER_WINDOW_MS]: policy.settings.windowMs,
            [Attr.RETRY_MAX_ATTEMPTS]: policy.settings.maxAttempts,
          },
        });
        const call: Call = { op: op as Op, next: next as Next, baseUrl, policy, callSpan };
        const fallback = op.context[FALLBACK_KEY] as FallbackOption | undefined;
        context
          .with(trace.setSpan(context.active(), callSpan), () => runCall(call, fallback))
          .then(
            (envelope) => {
              observer.next(envelope as never);
              observer.complete();
            },
            (error: unknown) => observer.error(TRPCClientError.from(error as Error)),
          )
          .finally(() => callSpan.end());
      });
}
