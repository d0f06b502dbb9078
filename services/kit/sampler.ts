import { type Attributes, type Context, type Link, SpanKind, trace } from "@opentelemetry/api";
import {
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
} from "@opentelemetry/sdk-trace-base";

/**
 * BullMQ operations that run on timers or loops inside workers and queues (see bullmq
 * `classes/worker.js`, `queue.js`, `lock-manager.js`). As roots they are polling noise, not work
 * a user asked for; as children of a real span (for example `complete` inside `process`) they stay.
 */
const BULLMQ_BACKGROUND_OPERATIONS = new Set([
  "getNextJob",
  "extendLocks",
  "startStalledCheckTimer",
  "moveStalledJobsToWait",
  "rateLimit",
  "close",
  "pause",
  "resume",
  "drain",
  "clean",
  "trimEvents",
  "promoteJobs",
  "obliterate",
  "removeDebounceKey",
  "removeDeduplicationKey",
]);

/** True when a root span is background noise rather than the start of a user-visible flow. */
export function isBackgroundRoot(spanName: string, spanKind: SpanKind): boolean {
  // Prisma's own spans only appear as roots for start-up work (connect, seeding).
  if (spanName.startsWith("prisma:")) return true;
  if (spanKind !== SpanKind.INTERNAL) return false;
  const operation = spanName.split(" ", 1)[0] ?? "";
  return BULLMQ_BACKGROUND_OPERATIONS.has(operation);
}

/**
 * Root sampler: keeps every root except background noise. Children follow their parent through
 * `ParentBasedSampler`, so Redis commands issued inside a dropped `getNextJob` are dropped too.
 */
class EntryPointSampler implements Sampler {
  shouldSample(
    context: Context,
    _traceId: string,
    spanName: string,
    spanKind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    // ParentBasedSampler only calls the root sampler without a parent, but stay defensive.
    const hasParent = trace.getSpanContext(context) !== undefined;
    if (!hasParent && isBackgroundRoot(spanName, spanKind)) return { decision: SamplingDecision.NOT_RECORD };
    return { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return "EntryPointSampler";
  }
}

/** The sampler every Switchyard service uses: one click = one clean trace. */
export function createServiceSampler(): Sampler {
  return new ParentBasedSampler({ root: new EntryPointSampler() });
}
