/**
 * The span store's public shapes: `StoredSpan` is the JSON shape of a span everywhere (trace API,
 * dashboard), `TraceSummary` one row of the trace list. See docs/architecture.md "Span store".
 */
import { z } from "zod";

/** A flattened OTLP AnyValue: plain JSON. int64 is a number when safe, else a decimal string. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

/** zod schema of {@link AttrValue} (recursive). */
export const AttrValueSchema: z.ZodType<AttrValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(AttrValueSchema),
    z.record(z.string(), AttrValueSchema),
  ]),
);

/** Attribute map of a span, event, link or resource. */
export const AttributesSchema = z.record(z.string(), AttrValueSchema);
export type Attributes = z.infer<typeof AttributesSchema>;

/** Span kinds by OTLP enum number (index = number). */
export const SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"] as const;
export const SpanKindSchema = z.enum(SPAN_KINDS);
export type SpanKind = z.infer<typeof SpanKindSchema>;

/** Status codes by OTLP enum number (index = number). */
export const STATUS_CODES = ["UNSET", "OK", "ERROR"] as const;
export const StatusCodeSchema = z.enum(STATUS_CODES);
export type StatusCode = z.infer<typeof StatusCodeSchema>;

const traceIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
const spanIdSchema = z.string().regex(/^[0-9a-f]{16}$/);
/** Largest time PostgreSQL's int8 columns hold (2^63 - 1 ns, the year 2262). */
export const MAX_UNIX_NANOS = 9_223_372_036_854_775_807n;

/**
 * Whether `text` is a time the store can hold and serve: a non-negative decimal integer of at
 * most 2^63 - 1. The one check shared by ingest (server/collector/otlp/span-builder.ts), the read
 * schemas below and every API input that takes a time or a cursor.
 */
export function isUnixNanos(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= MAX_UNIX_NANOS;
}

/** Unix nanoseconds as a decimal string (they exceed 2^53), within {@link isUnixNanos}. */
export const NanosSchema = z.string().refine(isUnixNanos, "expected Unix nanoseconds: a decimal integer from 0 to 2^63-1");
const nanosSchema = NanosSchema;

/** zod schema of one stored span (what `getTrace` returns and the trace API serves). */
export const StoredSpanSchema = z.object({
  traceId: traceIdSchema,
  spanId: spanIdSchema,
  parentSpanId: spanIdSchema.nullable(),
  name: z.string().min(1),
  kind: SpanKindSchema,
  serviceName: z.string(),
  startTimeUnixNano: nanosSchema,
  endTimeUnixNano: nanosSchema,
  durationNs: nanosSchema,
  status: z.object({ code: StatusCodeSchema, message: z.string().nullable() }),
  attributes: AttributesSchema,
  events: z.array(z.object({ name: z.string(), timeUnixNano: nanosSchema, attributes: AttributesSchema })),
  links: z.array(z.object({ traceId: traceIdSchema, spanId: spanIdSchema, attributes: AttributesSchema })),
  resource: AttributesSchema,
  scopeName: z.string().nullable(),
});
export type StoredSpan = z.infer<typeof StoredSpanSchema>;

/** zod schema of one row of the trace list (`listTraces`). */
export const TraceSummarySchema = z.object({
  traceId: traceIdSchema,
  rootName: z.string(),
  rootService: z.string(),
  services: z.array(z.string()),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  startTimeUnixNano: nanosSchema,
  durationNs: nanosSchema,
  /** ISO-8601 time of the last ingest that touched this trace. */
  updatedAt: z.string(),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

/** Resource attribute naming the service (OTel semantic conventions `service.name`). */
export const SERVICE_NAME_KEY = "service.name";
/** What OTel SDKs report when no service name was configured. */
export const UNKNOWN_SERVICE = "unknown_service";

/** Lower-case 32-hex trace id, not all zero (W3C / OTLP validity). */
export function isValidTraceId(id: string): boolean {
  return /^[0-9a-f]{32}$/.test(id) && id !== "00000000000000000000000000000000";
}

/** Lower-case 16-hex span id, not all zero. */
export function isValidSpanId(id: string): boolean {
  return /^[0-9a-f]{16}$/.test(id) && id !== "0000000000000000";
}
