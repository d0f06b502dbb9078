import { Attr, BREAKER_STATES, type BreakerState } from "../../services/contracts/index.ts";
import type { StoredSpan } from "../store/types.ts";
import type { BreakerCard, BreakerSegment, BreakerTransitionView } from "./schema.ts";

/** The parts of a stored span the reconstruction reads. */
export type BreakerSpan = Pick<StoredSpan, "traceId" | "spanId" | "name" | "kind" | "serviceName" | "startTimeUnixNano" | "status" | "attributes">;

/** Something that tells the breaker's state at a moment: a transition span or a call span. */
type StateEvent = { atNs: bigint; state: BreakerState; transition: BreakerTransitionView | null; traceId: string };

type Tally = { calls: number; failures: number; slowCalls: number; shortCircuits: number; lastTraceId: string | null; lastCallNs: bigint };

/** The newest window length a breaker's spans stated, and when. */
type WindowSeen = { windowMs: number | null; atNs: bigint };

const asState = (value: unknown): BreakerState | null =>
  typeof value === "string" && (BREAKER_STATES as readonly string[]).includes(value) ? (value as BreakerState) : null;
const asNumber = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/**
 * The breaker's own sliding window (ms) from a span's `app.breaker.window_ms`, or null when the
 * span has none or a value that is no positive whole number (an OTLP sender may send anything;
 * an int64 may arrive as a numeric string).
 */
export function readBreakerWindowMs(attributes: Readonly<Record<string, unknown>>): number | null {
  const raw = attributes[Attr.BREAKER_WINDOW_MS];
  const value = typeof raw === "string" && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** A transition span (`breaker <name> <from>→<to>`) read back, or null when the span is not one. */
function readTransition(span: BreakerSpan): BreakerTransitionView | null {
  const from = asState(span.attributes[Attr.BREAKER_FROM_STATE]);
  const to = asState(span.attributes[Attr.BREAKER_TO_STATE]);
  if (!from || !to) return null;
  return {
    from,
    to,
    reason: String(span.attributes[Attr.BREAKER_REASON] ?? ""),
    atNs: span.startTimeUnixNano,
    traceId: span.traceId,
    spanId: span.spanId,
    failureRate: asNumber(span.attributes[Attr.BREAKER_FAILURE_RATE]),
    slowCallRate: asNumber(span.attributes[Attr.BREAKER_SLOW_RATE]),
    windowCalls: asNumber(span.attributes[Attr.BREAKER_WINDOW_CALLS]),
    windowMs: readBreakerWindowMs(span.attributes),
  };
}

/** True for a CLIENT span of one attempt (or a short-circuited one) of a call under a breaker. */
const isAttempt = (span: BreakerSpan) => span.kind === "CLIENT" && span.attributes[Attr.RETRY_ATTEMPT] !== undefined;

/** Counts one attempt span into its breaker's tally. */
function tallyAttempt(tally: Tally, span: BreakerSpan): void {
  const at = BigInt(span.startTimeUnixNano);
  if (at >= tally.lastCallNs) {
    tally.lastCallNs = at;
    tally.lastTraceId = span.traceId;
  }
  if (span.attributes[Attr.BREAKER_REJECTED] === true) {
    tally.shortCircuits += 1;
    return;
  }
  tally.calls += 1;
  if (span.status.code === "ERROR") tally.failures += 1;
  if (span.attributes[Attr.BREAKER_SLOW_CALL] === true) tally.slowCalls += 1;
}

/** Strip segments from time-ordered state events: a new segment wherever the state changes. */
function buildSegments(events: StateEvent[], fromNs: bigint, toNs: bigint): BreakerSegment[] {
  const segments: BreakerSegment[] = [];
  const first = events[0];
  if (!first) return segments;
  let current: BreakerSegment = {
    state: first.transition ? first.transition.from : first.state,
    startNs: fromNs.toString(),
    endNs: toNs.toString(),
    transition: null,
  };
  for (const event of events) {
    if (event.state === current.state) continue;
    current.endNs = event.atNs.toString();
    segments.push(current);
    // A change no transition span explains (the caller restarted, spans missing) has no link.
    current = { state: event.state, startNs: event.atNs.toString(), endNs: toNs.toString(), transition: event.transition };
  }
  segments.push(current);
  return segments;
}

type Group = { service: string; name: string; tally: Tally; events: StateEvent[]; transitions: BreakerTransitionView[]; window: WindowSeen };

/** Keeps the window length of the newest span that states one (settings may change on a restart). */
function noteWindow(seen: WindowSeen, span: BreakerSpan): void {
  const windowMs = readBreakerWindowMs(span.attributes);
  const at = BigInt(span.startTimeUnixNano);
  if (windowMs !== null && (seen.windowMs === null || at >= seen.atNs)) Object.assign(seen, { windowMs, atNs: at });
}

function groupSpans(spans: BreakerSpan[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const span of spans) {
    const name = span.attributes[Attr.BREAKER_NAME];
    if (typeof name !== "string") continue;
    const key = `${span.serviceName}→${name}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        service: span.serviceName, name, events: [], transitions: [], window: { windowMs: null, atNs: -1n },
        tally: { calls: 0, failures: 0, slowCalls: 0, shortCircuits: 0, lastTraceId: null, lastCallNs: -1n },
      };
      groups.set(key, group);
    }
    noteWindow(group.window, span);
    const transition = readTransition(span);
    if (transition) {
      group.transitions.push(transition);
      group.events.push({ atNs: BigInt(span.startTimeUnixNano), state: transition.to, transition, traceId: span.traceId });
    } else if (isAttempt(span)) {
      tallyAttempt(group.tally, span);
      const state = asState(span.attributes[Attr.BREAKER_STATE]);
      if (state) group.events.push({ atNs: BigInt(span.startTimeUnixNano), state, transition: null, traceId: span.traceId });
    }
  }
  return groups;
}

/** Transition spans sort after call spans starting at the same nanosecond (the call caused them). */
function byTime(a: StateEvent, b: StateEvent): number {
  if (a.atNs !== b.atNs) return a.atNs < b.atNs ? -1 : 1;
  return Number(a.transition !== null) - Number(b.transition !== null);
}

/**
 * Rebuilds every breaker from stored spans alone: attempt CLIENT spans (state at call time,
 * outcome, slow, short-circuited) and transition spans (from, to, reason, rates, causing trace).
 * A breaker is one caller service's breaker for one dependency (`order→payment`). The current
 * state is the latest thing the spans say; counts and rates cover the spans given (the window).
 */
export function buildBreakers(spans: BreakerSpan[], window: { fromNs: bigint; toNs: bigint }): BreakerCard[] {
  const cards: BreakerCard[] = [];
  for (const [key, group] of groupSpans(spans)) {
    const events = group.events.sort(byTime);
    group.transitions.sort((a, b) => (BigInt(a.atNs) < BigInt(b.atNs) ? -1 : BigInt(a.atNs) > BigInt(b.atNs) ? 1 : 0));
    const last = events.at(-1);
    const lastTransition = group.transitions.at(-1) ?? null;
    const state = last?.state ?? "closed";
    const segments = buildSegments(events, window.fromNs, window.toNs);
    const { calls, failures, slowCalls, shortCircuits, lastTraceId } = group.tally;
    cards.push({
      key,
      service: group.service,
      name: group.name,
      state,
      stateSinceNs: segments.at(-1)?.transition?.atNs ?? null,
      lastReason: lastTransition?.reason ?? null,
      calls,
      failures,
      slowCalls,
      shortCircuits,
      failureRate: calls ? failures / calls : 0,
      slowCallRate: calls ? slowCalls / calls : 0,
      breakerWindowMs: group.window.windowMs,
      lastTraceId,
      segments,
      transitions: group.transitions,
    });
  }
  return cards.sort((a, b) => a.key.localeCompare(b.key));
}
