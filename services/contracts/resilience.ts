import { z } from "zod";

/** Circuit breaker states as they appear on spans (`app.breaker.state`, `.from_state`, `.to_state`). */
export const BREAKER_STATES = ["closed", "open", "half_open"] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/**
 * Resilience settings of one dependency (the service a client calls). Every field has a default,
 * so `{}` is valid; env `RESILIENCE_POLICIES` may override any of them per dependency.
 */
export const DependencyPolicySchema = z.object({
  /** Per attempt. */
  timeoutMs: z.number().int().min(1).max(120_000).default(2_000),
  /** Total attempts including the first (1 = no retry). Only transient errors are retried. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  retryInitialDelayMs: z.number().int().min(0).max(60_000).default(50),
  retryMaxDelayMs: z.number().int().min(0).max(60_000).default(1_000),
  /** Sliding time window the breaker's rates are computed over. */
  windowMs: z.number().int().min(100).max(3_600_000).default(10_000),
  /** The breaker does not judge a window holding fewer calls than this. */
  minimumCalls: z.number().int().min(1).max(10_000).default(5),
  /** Opens at or above this share of failed calls (0..1). */
  failureRateThreshold: z.number().min(0.01).max(1).default(0.5),
  /** Opens at or above this share of slow calls (0..1). */
  slowCallRateThreshold: z.number().min(0.01).max(1).default(0.8),
  /** A call that takes at least this long counts as slow (it may still succeed). */
  slowCallDurationMs: z.number().int().min(1).max(120_000).default(1_000),
  /** How long the breaker stays open before letting trial calls through. */
  openDurationMs: z.number().int().min(10).max(3_600_000).default(5_000),
  /** Trial calls let through while half-open; all must succeed (and not be slow) to close. */
  halfOpenPermits: z.number().int().min(1).max(100).default(3),
  /**
   * true when the dependency's mutations may safely run twice (keyed by order id or an idempotency
   * key). When false, a mutation is retried only if the request provably never left (connection
   * refused): a timeout or 5xx may already have had its effect.
   */
  mutationsIdempotent: z.boolean().default(true),
});
export type DependencyPolicy = z.infer<typeof DependencyPolicySchema>;
/** Partial settings as given by callers or the environment. */
export type DependencyPolicyInput = z.input<typeof DependencyPolicySchema>;

/** Per-dependency overrides, e.g. `{"payment":{"timeoutMs":800}}` in env `RESILIENCE_POLICIES`. */
export const DependencyPoliciesSchema = z.record(z.string().min(1), DependencyPolicySchema.partial());

/** Kinds of fault the chaos panel can inject. */
export const CHAOS_FAULTS = ["error", "latency", "down", "poison"] as const;
export type ChaosFault = (typeof CHAOS_FAULTS)[number];

const ServiceNameField = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, "a service name (lower-case letters, digits, -)");

/**
 * What a user asks for in the chaos panel. `dependency` narrows a sync fault to `service`'s calls
 * to that dependency (client side, like a bad network link); without it the fault is in `service`
 * itself (server side, every caller sees it). `poison` needs `queue`: the consumer of `service` on
 * that queue treats the given share of messages as poison.
 */
export const StartExperimentInputSchema = z
  .object({
    service: ServiceNameField,
    dependency: ServiceNameField.nullable().default(null),
    fault: z.enum(CHAOS_FAULTS),
    /** Share of calls/messages affected (0..1); `down` is always 1. */
    rate: z.number().min(0).max(1).default(1),
    /** Added latency for `latency` faults. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** A consumer's queue as the DLQ page shows it: `<topic>.<subscriber>` or a point-to-point queue. */
    queue: z
      .string()
      .trim()
      .max(100)
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)?$/, "a queue name like order-events.payment (topic.subscriber) or credit-check-requests")
      .nullable()
      .default(null),
    /** Ends by itself after this long; null = until stopped or reset. */
    durationSec: z.number().int().min(1).max(86_400).nullable().default(null),
  })
  .superRefine((value, ctx) => {
    if (value.fault === "latency" && value.latencyMs <= 0) {
      ctx.addIssue({ code: "custom", path: ["latencyMs"], message: "a latency fault needs latencyMs > 0" });
    }
    if (value.fault === "poison" && !value.queue) {
      ctx.addIssue({ code: "custom", path: ["queue"], message: "a poison fault needs the consumer's queue" });
    }
    if (value.fault !== "poison" && value.queue) {
      ctx.addIssue({ code: "custom", path: ["queue"], message: "only poison faults target a queue" });
    }
    if (value.fault === "poison" && value.dependency) {
      ctx.addIssue({ code: "custom", path: ["dependency"], message: "poison faults target a consumer, not a dependency" });
    }
  });
export type StartExperimentInput = z.input<typeof StartExperimentInputSchema>;

/** One injected fault with its lifetime; ended experiments stay listed so traces can be filtered by them. */
export const ChaosExperimentSchema = z.object({
  id: z.string().min(1),
  service: z.string(),
  dependency: z.string().nullable(),
  fault: z.enum(CHAOS_FAULTS),
  rate: z.number(),
  latencyMs: z.number(),
  queue: z.string().nullable(),
  /** ISO times. `endsAt` is the planned end, `endedAt` the actual one (stop, reset or expiry). */
  startedAt: z.string(),
  endsAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type ChaosExperiment = z.infer<typeof ChaosExperimentSchema>;
