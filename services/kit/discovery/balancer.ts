import type { InstanceStatus } from "../../contracts/index.ts";

/** One instance as a client sees it: where it is, how busy we keep it, whether we skip it. */
export type Endpoint = {
  service: string;
  instanceId: string;
  host: string;
  port: number;
  /** Requests this process has in flight to it. */
  outstanding: number;
  /** Skipped until this time (Unix ms) after a refused connection or repeated 5xx. */
  ejectedUntil: number;
  consecutiveFailures: number;
};

/** 5xx answers in a row that take an instance out (Envoy's `consecutive_5xx` outlier rule). */
export const CONSECUTIVE_FAILURES_TO_EJECT = 3;

/**
 * The instances of one service and the choice between them: least outstanding requests, ties
 * broken round robin. Least-outstanding sends less to an instance that is slow (its requests pile
 * up) without any extra round trip; the round-robin tie-break spreads sequential calls evenly.
 * Ejected instances are skipped; if every instance is ejected all are used again ("panic mode",
 * as in Envoy), since a guess beats refusing every call.
 */
export class ServiceEndpoints {
  private endpoints: Endpoint[] = [];
  private cursor = 0;

  constructor(readonly service: string) {}

  /** Replaces the instance list with the registry's, keeping counters of instances still there. */
  update(live: InstanceStatus[]): void {
    const previous = new Map(this.endpoints.map((e) => [e.instanceId, e]));
    this.endpoints = live.map((s) => {
      const known = previous.get(s.instanceId);
      if (known && known.host === s.host && known.port === s.port) return known;
      return { service: s.service, instanceId: s.instanceId, host: s.host, port: s.port, outstanding: 0, ejectedUntil: 0, consecutiveFailures: 0 };
    });
  }

  get size(): number {
    return this.endpoints.length;
  }

  /** Healthy candidates now (all, in panic mode). */
  candidates(nowMs: number, exclude: ReadonlySet<string> = new Set()): Endpoint[] {
    const usable = this.endpoints.filter((e) => !exclude.has(e.instanceId));
    const healthy = usable.filter((e) => e.ejectedUntil <= nowMs);
    return healthy.length > 0 ? healthy : usable;
  }

  /** Picks the instance for the next request, or null when there is none left to try. */
  pick(nowMs: number, exclude?: ReadonlySet<string>): { endpoint: Endpoint; candidates: number } | null {
    const candidates = this.candidates(nowMs, exclude);
    if (candidates.length === 0) return null;
    const start = this.cursor++ % candidates.length;
    let best = candidates[start]!;
    for (let i = 1; i < candidates.length; i += 1) {
      const next = candidates[(start + i) % candidates.length]!;
      if (next.outstanding < best.outstanding) best = next;
    }
    return { endpoint: best, candidates: candidates.length };
  }

  /** Refused connection: the instance is gone or not listening; skip it for `ejectMs`. */
  eject(endpoint: Endpoint, nowMs: number, ejectMs: number): void {
    endpoint.ejectedUntil = nowMs + ejectMs;
    endpoint.consecutiveFailures = 0;
  }

  /** Counts a 5xx; the third in a row ejects. A success resets the count. */
  recordOutcome(endpoint: Endpoint, ok: boolean, nowMs: number, ejectMs: number): void {
    if (ok) {
      endpoint.consecutiveFailures = 0;
      return;
    }
    endpoint.consecutiveFailures += 1;
    if (endpoint.consecutiveFailures >= CONSECUTIVE_FAILURES_TO_EJECT) this.eject(endpoint, nowMs, ejectMs);
  }
}
