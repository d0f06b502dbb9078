import type { Span } from "@opentelemetry/api";
import { TRPCClientError } from "@trpc/client";
import { AppError, Attr } from "../../contracts/index.ts";
import { serverFaults, type ActiveFault } from "./agent.ts";
import { shouldInject } from "./match.ts";

/** An error a chaos experiment injected; the server tells the caller which (see `chaosOf`). */
export class ChaosInjectedError extends AppError {
  constructor(
    readonly experimentId: string,
    readonly fault: string,
  ) {
    super("UNAVAILABLE", `injected by chaos experiment ${experimentId}`);
  }
}

/** The experiment behind a server's error answer (`data.chaos`), so the caller can mark its span too. */
export function chaosOfAnswer(error: unknown): ActiveFault | null {
  const data = (error as { data?: { chaos?: unknown } } | null)?.data;
  const chaos = data?.chaos as { experimentId?: unknown; fault?: unknown } | undefined;
  if (typeof chaos?.experimentId !== "string" || typeof chaos.fault !== "string") return null;
  return { experimentId: chaos.experimentId, fault: chaos.fault as ActiveFault["fault"], rate: 1, latencyMs: 0 };
}

/** Puts the experiments that affected this span on it (one id as a string, several as an array). */
export function markChaos(span: Span, applied: ActiveFault[]): void {
  if (applied.length === 0) return;
  const ids = applied.map((f) => f.experimentId);
  const faults = applied.map((f) => f.fault);
  span.setAttributes({
    [Attr.CHAOS_EXPERIMENT_ID]: ids.length === 1 ? ids[0]! : ids,
    [Attr.CHAOS_FAULT]: faults.length === 1 ? faults[0]! : faults,
  });
}

/** Waits `ms`, or rejects when `signal` aborts (a timeout must still cut an injected delay short). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Service-level faults, inside the tRPC middleware of the service that is "sick": added latency,
 * then an injected error for the configured share of requests (answered as 503 UNAVAILABLE, as an
 * overloaded service would). Marks `span` (the SERVER span) with what it applied.
 */
export async function injectServerFaults(span: Span): Promise<void> {
  const faults = serverFaults();
  if (faults.length === 0) return;
  const applied = faults.filter((f) => shouldInject(f));
  markChaos(span, applied);
  for (const fault of applied) if (fault.fault === "latency") await sleep(fault.latencyMs);
  const error = applied.find((f) => f.fault === "error");
  if (error) throw new ChaosInjectedError(error.experimentId, error.fault);
}

/** What a caller sees when nothing listens at the target: fetch fails with ECONNREFUSED. */
export function connectionRefused(url: URL, experimentId: string): TRPCClientError<never> {
  const address = `${url.hostname}:${url.port || 80}`;
  const refused = Object.assign(new Error(`connect ECONNREFUSED ${address} (chaos experiment ${experimentId})`), {
    code: "ECONNREFUSED",
    address: url.hostname,
    port: Number(url.port || 80),
  });
  return new TRPCClientError("fetch failed", { cause: new TypeError("fetch failed", { cause: refused }) });
}

/** A 503 answer as the dependency's tRPC server would send it, for link-level error faults. */
export function injectedUnavailable(experimentId: string): TRPCClientError<never> {
  const message = `injected by chaos experiment ${experimentId}`;
  return new TRPCClientError(message, {
    result: { error: { code: -32603, message, data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503, appCode: "UNAVAILABLE" } } },
  } as never);
}
