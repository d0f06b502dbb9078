import { z } from "zod";
import { StoredSpanSchema } from "../store/types.ts";

/** zod schema of {@link import("./types.ts").SpanTree}, for the tRPC output boundary. */
export const SpanTreeSchema = z.object({
  rows: z.array(
    z.object({
      span: StoredSpanSchema,
      key: z.string(),
      depth: z.number().int(),
      parentIndex: z.number().int(),
      childCount: z.number().int(),
      descendantCount: z.number().int(),
      offsetNs: z.number(),
      durationNs: z.number(),
      skewNs: z.number(),
      missingParentId: z.string().nullable(),
      isDuplicate: z.boolean(),
      isCycleBreak: z.boolean(),
    }),
  ),
  traceStartNs: z.string(),
  durationNs: z.number(),
  services: z.array(z.string()),
  adjustments: z.array(
    z.object({ serviceName: z.string(), minDeltaNs: z.number(), maxDeltaNs: z.number(), spanCount: z.number().int() }),
  ),
  issues: z.object({
    orphanCount: z.number().int(),
    duplicateCount: z.number().int(),
    cycleCount: z.number().int(),
    invalidCount: z.number().int(),
  }),
});
