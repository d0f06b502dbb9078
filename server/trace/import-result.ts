/**
 * The answer of `POST /api/traces/import`, shared by the route and the import page (which parses
 * it with these schemas: zod at the boundary). Only zod here, so the page can import it.
 */
import { z } from "zod";

/** Largest file an import takes (413 above): 32 MiB, a downloaded trace of roughly 30,000 spans. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/** One stored trace of an import. */
export const ImportedTraceSchema = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  /** The id in the file when the import was a copy under a new id (`?rekey=1`), else null. */
  originalTraceId: z.string().nullable(),
  spanCount: z.number().int().positive(),
  /** `service: name` of the trace's root span (or earliest span when it has no root). */
  rootName: z.string(),
});
export type ImportedTrace = z.infer<typeof ImportedTraceSchema>;

/** 201: what was stored. */
export const ImportResultSchema = z.object({
  format: z.enum(["otlp-json", "jaeger-json"]),
  stored: z.literal(true),
  traces: z.array(ImportedTraceSchema).min(1),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

/** 400 / 403 / 409 / 413: why nothing was stored; `traceIds` on 409 names the traces already stored. */
export const ImportErrorBodySchema = z.object({
  error: z.string(),
  format: z.enum(["otlp-json", "jaeger-json"]).nullish(),
  traceIds: z.array(z.string()).optional(),
});
export type ImportErrorBody = z.infer<typeof ImportErrorBodySchema>;
