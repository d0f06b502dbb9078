import { z } from "zod";
import {
  DependencyPoliciesSchema,
  DependencyPolicySchema,
  type DependencyPolicy,
  type DependencyPolicyInput,
} from "../../contracts/index.ts";
import { parseEnv } from "../env.ts";

/** Per-dependency defaults that differ from the generic ones (payment is slow by nature). */
const BUILT_IN: Record<string, DependencyPolicyInput> = {
  payment: { timeoutMs: 2_500, slowCallDurationMs: 1_500 },
  // order.placeOrder creates a new order per call: never repeat it after it may have run.
  order: { mutationsIdempotent: false, timeoutMs: 15_000, slowCallDurationMs: 5_000 },
};

const ResilienceEnvSchema = z.object({
  /** JSON object, dependency name -> partial settings, e.g. `{"payment":{"timeoutMs":800}}`. */
  RESILIENCE_POLICIES: z
    .string()
    .default("{}")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object" });
        return z.NEVER;
      }
    })
    .pipe(DependencyPoliciesSchema),
});

let fromEnv: z.infer<typeof DependencyPoliciesSchema> | undefined;

/** Env overrides, parsed once (a bad value stops the process with a clear message). */
function envOverrides(): z.infer<typeof DependencyPoliciesSchema> {
  fromEnv ??= parseEnv(ResilienceEnvSchema).RESILIENCE_POLICIES;
  return fromEnv;
}

/**
 * Settings for calls to `dependency`: defaults, then built-ins, then env, then the caller's own
 * `overrides` (from `createServiceClient`). Throws a zod error on invalid overrides.
 */
export function resolveDependencyPolicy(dependency: string, overrides: DependencyPolicyInput = {}): DependencyPolicy {
  const merged = { ...BUILT_IN[dependency], ...envOverrides()[dependency], ...overrides };
  const policy = DependencyPolicySchema.parse(merged);
  if (policy.retryMaxDelayMs < policy.retryInitialDelayMs) {
    throw new Error(`resilience settings of ${dependency}: retryMaxDelayMs must be >= retryInitialDelayMs`);
  }
  return policy;
}
