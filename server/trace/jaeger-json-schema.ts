/**
 * zod schema of Jaeger's JSON trace model: what Jaeger UI's "Trace JSON" and the query service's
 * `GET /api/traces/{id}` return (`{ data: [trace], total, limit, offset, errors }`). Copied from
 * jaegertracing/jaeger `internal/uimodel/model.go` (Trace, Span, Reference, Process, Log,
 * KeyValue) and its fixture `internal/uimodel/converter/v1/json/fixtures/ui_01.json`.
 * Lenient where Jaeger itself is: ids shorter than 32/16 hex digits are left-padded with zeros
 * (64-bit trace ids), `references`/`tags`/`logs`/`warnings` may be null, a span may embed its
 * `process` instead of naming a `processID`, and extra fields (Jaeger UI adds `depth`,
 * `relativeStartTime`, references' `span`...) are dropped.
 */
import { z } from "zod";

const hexId = (digits: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{1,${digits}}$`), `expected 1 to ${digits} hex digits`)
    .transform((id) => id.toLowerCase().padStart(digits, "0"));

/** A 64- or 128-bit trace id as hex, normalised to 32 lower-case digits. */
export const JaegerTraceIdSchema = hexId(32);
/** A span id as hex, normalised to 16 lower-case digits. */
export const JaegerSpanIdSchema = hexId(16);

/** Microseconds since the Unix epoch (Go's uint64: a JSON number, tolerated as a decimal string). */
const micros = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,17}$/).transform(Number)]);

/** Tag value types of `model.go` (`ValueType`); any other string is kept as written. */
export const JAEGER_VALUE_TYPES = ["string", "bool", "int64", "float64", "binary"] as const;

/** A typed tag (`KeyValue`): value a string, number or boolean; int64 beyond 2^53 as a string. */
export const JaegerKeyValueSchema = z.object({
  key: z.string(),
  type: z.string().optional(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
export type JaegerKeyValue = z.infer<typeof JaegerKeyValueSchema>;

const keyValues = z.array(JaegerKeyValueSchema).nullish().transform((v) => v ?? []);

/** `Reference`: CHILD_OF or FOLLOWS_FROM (any other type is treated as FOLLOWS_FROM, as Jaeger does). */
export const JaegerReferenceSchema = z.object({
  refType: z.string(),
  traceID: JaegerTraceIdSchema,
  spanID: JaegerSpanIdSchema,
});
export type JaegerReference = z.infer<typeof JaegerReferenceSchema>;

/** `Process`: the service and its tags (an OTel resource). */
export const JaegerProcessSchema = z.object({ serviceName: z.string(), tags: keyValues });
export type JaegerProcess = z.infer<typeof JaegerProcessSchema>;

/** `Log`: a timestamped list of fields (an OTel span event; its name is the `event` field). */
export const JaegerLogSchema = z.object({ timestamp: micros, fields: keyValues });

/** `Span`, times in microseconds. */
export const JaegerSpanSchema = z.object({
  traceID: JaegerTraceIdSchema,
  spanID: JaegerSpanIdSchema,
  /** Deprecated in the UI model but still written by some exporters; wins over references. */
  parentSpanID: JaegerSpanIdSchema.optional(),
  operationName: z.string(),
  references: z.array(JaegerReferenceSchema).nullish().transform((v) => v ?? []),
  startTime: micros,
  duration: micros,
  tags: keyValues,
  logs: z.array(JaegerLogSchema).nullish().transform((v) => v ?? []),
  processID: z.string().optional(),
  process: JaegerProcessSchema.optional(),
  warnings: z.array(z.string()).nullish(),
});
export type JaegerSpanInput = z.infer<typeof JaegerSpanSchema>;

/** `Trace`: spans plus the processes they name by `processID`. */
export const JaegerTraceSchema = z.object({
  traceID: z.string().optional(),
  spans: z.array(JaegerSpanSchema),
  processes: z.record(z.string(), JaegerProcessSchema).nullish().transform((v) => v ?? {}),
  warnings: z.array(z.string()).nullish(),
});
export type JaegerTraceInput = z.infer<typeof JaegerTraceSchema>;

const JaegerResponseSchema = z.object({ data: z.array(JaegerTraceSchema) }).transform((file) => file.data);
const JaegerTraceListSchema = z.array(JaegerTraceSchema);
const JaegerBareTraceSchema = JaegerTraceSchema.transform((trace) => [trace]);

/**
 * Validates a Jaeger JSON file as a list of traces: the query API's answer `{ data: [trace, ...] }`
 * (what Jaeger UI downloads and uploads), a bare array of traces, or one bare trace. The shape
 * picks the schema (rather than a union), so an error names the field that is wrong.
 */
export function parseJaegerFile(json: unknown): z.ZodSafeParseResult<JaegerTraceInput[]> {
  if (Array.isArray(json)) return JaegerTraceListSchema.safeParse(json);
  if (json !== null && typeof json === "object" && "data" in json) return JaegerResponseSchema.safeParse(json);
  return JaegerBareTraceSchema.safeParse(json);
}

/** Whether `json` looks like Jaeger JSON (before validating it): `data[].spans`, `[].spans` or `spans` + `processes`. */
export function looksLikeJaegerJson(json: unknown): boolean {
  if (Array.isArray(json)) return json.length > 0 && isTraceLike(json[0]);
  if (json === null || typeof json !== "object") return false;
  const data = (json as { data?: unknown }).data;
  if (Array.isArray(data)) return data.length === 0 || isTraceLike(data[0]);
  return isTraceLike(json);
}

function isTraceLike(value: unknown): boolean {
  return value !== null && typeof value === "object" && Array.isArray((value as { spans?: unknown }).spans);
}
