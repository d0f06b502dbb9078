/**
 * Rebuilds a trace as a sequence diagram. Works for any OTel trace, ours or not: it reads span
 * kinds and the rpc.* / messaging.* / http.* conventions, and Switchyard's app.* only as extras.
 * - SERVER under a CLIENT = a sync call (solid) from the client's service, plus its return.
 * - CLIENT with no server in the trace = a call to an external lane (peer, database, host).
 * - CONSUMER whose parent or link is a PRODUCER = an async message (dashed).
 * - Messages with a conversation id and `app.messaging.role` are joined as request/reply pairs.
 * Identical consecutive steps fold into one (×N), so repeated calls stay one row; rows are
 * fixed height, so the client can window them on traces with thousands of spans.
 */
import { Attr } from "../../services/contracts/semconv.ts";
import type { StoredSpan } from "../store/types.ts";
import { callLabel, externalLane, messageLabel, stringAttr } from "./labels.ts";
import { computeFlowStats, type Interval } from "./stats.ts";
import type { Flow, FlowLane, FlowPair, FlowStep } from "./types.ts";

/** A step before lanes become indexes; `callId` pairs a call with its return. */
type RawStep = Omit<FlowStep, "from" | "to" | "key" | "count" | "hasInlineReturn"> & {
  from: string | null;
  to: string | null;
  order: number;
  callId: string | null;
};

type Ctx = {
  byId: Map<string, StoredSpan>;
  origin: bigint;
  steps: RawStep[];
  calls: Interval[];
  messages: Interval[];
  externals: Set<string>;
  matched: Set<string>;
};

const ns = (v: string) => BigInt(v);

/** Builds the sequence diagram of one trace's spans (any order). */
export function buildFlow(traceId: string, input: readonly StoredSpan[]): Flow {
  // Parse each start once: BigInt parsing inside the comparator dominates on large traces.
  const keyed = input.map((span) => ({ span, start: ns(span.startTimeUnixNano) }));
  keyed.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.span.spanId < b.span.spanId ? -1 : 1));
  const spans = keyed.map((k) => k.span);
  const origin = spans.length ? ns(spans[0]!.startTimeUnixNano) : 0n;
  const byId = new Map<string, StoredSpan>();
  for (const s of spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
  const ctx: Ctx = { byId, origin, steps: [], calls: [], messages: [], externals: new Set(), matched: new Set() };
  spans.forEach((span, order) => {
    if (span.kind === "SERVER") addServer(ctx, span, order);
    else if (span.kind === "CONSUMER") addConsumer(ctx, span, order);
  });
  const wrapsClient = new Set(spans.filter((s) => s.kind === "CLIENT" && s.parentSpanId).map((s) => `${s.parentSpanId}/${s.serviceName}`));
  spans.forEach((span, order) => {
    if (span.kind === "CLIENT" && !ctx.matched.has(span.spanId)) addExternalCall(ctx, span, wrapsClient, order);
    else if (span.kind === "PRODUCER" && !ctx.matched.has(span.spanId)) addUnconsumed(ctx, span, order);
  });
  const lanes = lanesOf(spans, ctx);
  const laneIndex = new Map(lanes.map((l, i) => [l.name, i]));
  const sorted = ctx.steps.sort((a, b) => a.offsetNs - b.offsetNs || a.order - b.order || rank(a) - rank(b));
  const steps = collapse(inlineReturns(sorted).map((s) => toStep(s, laneIndex)));
  return {
    traceId,
    startNs: origin.toString(),
    lanes,
    steps,
    pairs: pairsOf(steps),
    stats: computeFlowStats(spans, ctx.steps, lanes, ctx.calls, ctx.messages),
  };
}

/** At the same instant a return goes after the call it answers. */
const rank = (s: RawStep) => (s.kind === "return" ? 1 : 0);

function offset(ctx: Ctx, value: string): number {
  return Number(ns(value) - ctx.origin);
}

function isError(...spans: (StoredSpan | null | undefined)[]): boolean {
  return spans.some((s) => s?.status.code === "ERROR");
}

function messaging(span: StoredSpan | null) {
  const role = span ? stringAttr(span, Attr.MESSAGING_ROLE) : null;
  return {
    conversationId: span ? stringAttr(span, Attr.MESSAGING_CONVERSATION_ID) : null,
    role: role === "request" || role === "reply" ? role : null,
    pattern: span ? stringAttr(span, Attr.MESSAGING_PATTERN) : null,
  } as const;
}

const NO_MESSAGING = { conversationId: null, role: null, pattern: null } as const;

function addCall(ctx: Ctx, client: StoredSpan | null, server: StoredSpan | null, from: string | null, to: string, order: number, isExternal = false) {
  const outer = client ?? server!;
  const start = offset(ctx, outer.startTimeUnixNano);
  const end = offset(ctx, outer.endTimeUnixNano);
  const label = callLabel(client, server);
  const error = isError(client, server);
  const callId = `${outer.spanId}:${server?.spanId ?? "x"}`;
  const common = { label, isError: error, order, callId, ...NO_MESSAGING };
  ctx.steps.push({ ...common, kind: "call", from, to, spanId: (client ?? server)!.spanId, offsetNs: start, durationNs: end - start });
  if (from !== null) ctx.steps.push({ ...common, kind: "return", from: to, to: from, spanId: (server ?? client)!.spanId, offsetNs: end, durationNs: 0 });
  // Sync time counts service-to-service calls only, not a service's own database round trips.
  if (from !== null && from !== to && !isExternal) ctx.calls.push([start, end]);
}

function addServer(ctx: Ctx, span: StoredSpan, order: number) {
  const parent = span.parentSpanId ? ctx.byId.get(span.parentSpanId) : undefined;
  if (parent?.kind === "CLIENT") {
    ctx.matched.add(parent.spanId);
    addCall(ctx, parent, span, parent.serviceName, span.serviceName, order);
  } else if (parent && parent.serviceName !== span.serviceName) {
    addCall(ctx, null, span, parent.serviceName, span.serviceName, order);
  } else if (!parent) {
    // A root (or orphan) server span: the caller is outside the trace.
    addCall(ctx, null, span, null, span.serviceName, order);
  }
}

function producerOf(ctx: Ctx, span: StoredSpan): StoredSpan | null {
  const parent = span.parentSpanId ? ctx.byId.get(span.parentSpanId) : undefined;
  if (parent?.kind === "PRODUCER") return parent;
  for (const link of span.links) {
    const linked = ctx.byId.get(link.spanId);
    if (linked?.kind === "PRODUCER") return linked;
  }
  return null;
}

function addConsumer(ctx: Ctx, span: StoredSpan, order: number) {
  const producer = producerOf(ctx, span);
  const parent = span.parentSpanId ? ctx.byId.get(span.parentSpanId) : undefined;
  const from = producer?.serviceName ?? (parent && parent.serviceName !== span.serviceName ? parent.serviceName : null);
  if (producer) ctx.matched.add(producer.spanId);
  const sent = producer ?? span;
  const start = offset(ctx, sent.startTimeUnixNano);
  ctx.steps.push({
    kind: "message",
    from,
    to: span.serviceName,
    label: messageLabel(producer, span),
    spanId: span.spanId,
    offsetNs: start,
    durationNs: offset(ctx, span.startTimeUnixNano) - start,
    isError: isError(producer, span),
    order,
    callId: null,
    ...(messaging(span).conversationId ? messaging(span) : messaging(producer)),
  });
  ctx.messages.push([start, offset(ctx, span.endTimeUnixNano)]);
}

function addExternalCall(ctx: Ctx, span: StoredSpan, wrapsClient: Set<string>, order: number) {
  // A client wrapping another client of its own service (an RPC over an HTTP client span): the
  // inner one draws the arrow.
  if (wrapsClient.has(`${span.spanId}/${span.serviceName}`)) return;
  const lane = externalLane(span);
  ctx.externals.add(lane);
  addCall(ctx, span, null, span.serviceName, lane, order, true);
}

function addUnconsumed(ctx: Ctx, span: StoredSpan, order: number) {
  ctx.steps.push({
    kind: "message",
    from: span.serviceName,
    to: null,
    label: messageLabel(span, null),
    spanId: span.spanId,
    offsetNs: offset(ctx, span.startTimeUnixNano),
    durationNs: 0,
    isError: isError(span),
    order,
    callId: null,
    ...messaging(span),
  });
}

/** Lanes in order of first appearance: services by their first span, externals by first call. */
function lanesOf(spans: readonly StoredSpan[], ctx: Ctx): FlowLane[] {
  const firsts: { name: string; at: number; kind: FlowLane["kind"] }[] = [];
  const seen = new Set<string>();
  for (const s of spans) {
    if (seen.has(s.serviceName)) continue;
    seen.add(s.serviceName);
    firsts.push({ name: s.serviceName, at: offset(ctx, s.startTimeUnixNano), kind: "service" });
  }
  for (const step of ctx.steps) {
    if (step.to !== null && !seen.has(step.to)) {
      seen.add(step.to);
      firsts.push({ name: step.to, at: step.offsetNs, kind: "external" });
    }
  }
  return firsts.sort((a, b) => a.at - b.at).map(({ name, kind }) => ({ name, kind }));
}

/** A call answered before anything else happens is drawn as one row with its return. */
function inlineReturns(steps: RawStep[]): (RawStep & { hasInlineReturn: boolean })[] {
  const out: (RawStep & { hasInlineReturn: boolean })[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const next = steps[i + 1];
    const isAnswered = step.kind === "call" && next?.kind === "return" && next.callId === step.callId;
    out.push({ ...step, hasInlineReturn: isAnswered });
    if (isAnswered) i++;
  }
  return out;
}

function toStep(s: RawStep & { hasInlineReturn: boolean }, lanes: Map<string, number>): FlowStep {
  return {
    key: `${s.kind}:${s.spanId}`,
    kind: s.kind,
    from: s.from === null ? null : (lanes.get(s.from) ?? null),
    to: s.to === null ? null : (lanes.get(s.to) ?? null),
    label: s.label,
    spanId: s.spanId,
    offsetNs: s.offsetNs,
    durationNs: s.durationNs,
    isError: s.isError,
    count: 1,
    hasInlineReturn: s.hasInlineReturn,
    conversationId: s.conversationId,
    role: s.role,
    pattern: s.pattern,
  };
}

function isSameShape(a: FlowStep, b: FlowStep): boolean {
  return (
    a.kind === b.kind && a.from === b.from && a.to === b.to && a.label === b.label && a.isError === b.isError &&
    a.hasInlineReturn === b.hasInlineReturn && a.conversationId === null && b.conversationId === null && a.kind !== "return"
  );
}

/** Folds runs of identical steps (a loop of 200 identical queries) into one row with a count. */
function collapse(steps: FlowStep[]): FlowStep[] {
  const out: FlowStep[] = [];
  for (const step of steps) {
    const last = out[out.length - 1];
    if (last && isSameShape(last, step)) {
      last.count += 1;
      last.durationNs = Math.max(last.durationNs, step.offsetNs + step.durationNs - last.offsetNs);
    } else out.push({ ...step });
  }
  return out;
}

function pairsOf(steps: FlowStep[]): FlowPair[] {
  const byConversation = new Map<string, FlowPair & { requestAt: number | null; replyAt: number | null }>();
  for (const step of steps) {
    if (step.kind !== "message" || !step.conversationId || !step.role) continue;
    const pair = byConversation.get(step.conversationId) ?? { conversationId: step.conversationId, requestKey: null, replyKey: null, roundTripNs: null, requestAt: null, replyAt: null };
    if (step.role === "request") [pair.requestKey, pair.requestAt] = [step.key, step.offsetNs];
    else [pair.replyKey, pair.replyAt] = [step.key, step.offsetNs + step.durationNs];
    byConversation.set(step.conversationId, pair);
  }
  return [...byConversation.values()].map(({ requestAt, replyAt, ...pair }) => ({
    ...pair,
    roundTripNs: requestAt !== null && replyAt !== null ? replyAt - requestAt : null,
  }));
}
