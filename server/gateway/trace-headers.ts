import { randomBytes } from "node:crypto";

/**
 * Headers for a call that should leave no trace: a W3C traceparent with the sampled flag off, so
 * the callee's parent-based sampler records nothing. For polling and the dashboard's own reads,
 * which would otherwise bury the traces a user made under ones they did not.
 */
export function unsampledTraceHeaders(): Record<string, string> {
  return { traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00` };
}
