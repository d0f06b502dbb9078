import { z } from "zod";
import { publicProcedure, router } from "./trpc.ts";

/** The `forwarding` part of the collector's GET /health (server/collector/forward/forwarder.ts, ForwardingStatus). */
export const ForwardingStatusSchema = z.discriminatedUnion("enabled", [
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    url: z.string(),
    state: z.enum(["idle", "sending", "retrying"]),
    bufferedSpans: z.number().int(),
    forwardedSpans: z.number().int(),
    droppedSpans: z.number().int(),
    failedSpans: z.number().int(),
    retries: z.number().int(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
  }),
]);
export type ForwardingStatusView = z.infer<typeof ForwardingStatusSchema>;

const HEALTH_TIMEOUT_MS = 2_000;

/**
 * What the collector process says about itself (its /health), for the header of the traces list:
 * today whether it forwards spans to another backend and what that dropped or failed. A collector
 * that does not answer is an `error`, never an exception: the list still shows what is stored.
 */
export function createCollectorRouter(collectorUrl: () => string) {
  return router({
    forwarding: publicProcedure
      .output(z.object({ forwarding: ForwardingStatusSchema.nullable(), error: z.string().nullable() }))
      .query(async () => {
        try {
          const res = await fetch(`${collectorUrl()}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
          const body = (await res.json()) as { forwarding?: unknown };
          const parsed = ForwardingStatusSchema.safeParse(body.forwarding);
          if (parsed.success) return { forwarding: parsed.data, error: null };
          return { forwarding: null, error: res.ok ? "the collector does not report forwarding" : `collector health: HTTP ${res.status}` };
        } catch (err) {
          return { forwarding: null, error: `collector unreachable: ${err instanceof Error ? err.message : String(err)}` };
        }
      }),
  });
}
