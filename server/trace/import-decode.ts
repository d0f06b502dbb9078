/**
 * A trace file as text -> validated stored spans: detects OTLP JSON or Jaeger JSON and decodes it
 * with the collector's own checks (OTLP: its JSON decoder; Jaeger: `fromJaegerJson`, which ends in
 * the same `acceptSpan`). All or nothing: any invalid span fails the whole file.
 */
import { z } from "zod";
import { decodeJsonRequest } from "../collector/otlp/decode-json.ts";
import type { DecodeResult } from "../collector/otlp/span-builder.ts";
import type { StoredSpan } from "../store/types.ts";
import { looksLikeJaegerJson, parseJaegerFile } from "./jaeger-json-schema.ts";
import { fromJaegerJson } from "./jaeger-json.ts";

/** The file formats an import reads. */
export const IMPORT_FORMATS = ["otlp-json", "jaeger-json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Why an import was refused; `status` is its HTTP answer. */
export class ImportError extends Error {
  readonly status: 400 | 409 | 413;
  readonly format: ImportFormat | null;
  /** The trace ids concerned (409: those already stored). */
  readonly traceIds: readonly string[];
  constructor(status: 400 | 409 | 413, message: string, details: { format?: ImportFormat | null; traceIds?: readonly string[]; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.name = "ImportError";
    this.status = status;
    this.format = details.format ?? null;
    this.traceIds = details.traceIds ?? [];
  }
}

const MAX_REASONS = 5;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // An OTel Collector file exporter writes one ExportTraceServiceRequest per line.
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    if (lines.length > 1) {
      try {
        return lines.map((line) => JSON.parse(line) as unknown);
      } catch {
        // fall through to the first error, which names the position in the whole text
      }
    }
    throw new ImportError(400, `Not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

function isOtlpRequest(json: unknown): boolean {
  return json !== null && typeof json === "object" && !Array.isArray(json) && ("resourceSpans" in json || "resource_spans" in json);
}

/** Which format `json` is, or null. */
export function detectFormat(json: unknown): ImportFormat | null {
  if (isOtlpRequest(json) || (Array.isArray(json) && json.length > 0 && json.every(isOtlpRequest))) return "otlp-json";
  if (looksLikeJaegerJson(json)) return "jaeger-json";
  return null;
}

/** `text` parsed is `json`: one request is decoded from the text as sent, JSON lines one by one. */
function decodeOtlp(json: unknown, text: string, nowNs: bigint): DecodeResult {
  const bodies = Array.isArray(json) ? json.map((request) => Buffer.from(JSON.stringify(request))) : [Buffer.from(text)];
  const merged: DecodeResult = { spans: [], rejected: 0, errors: [] };
  for (const body of bodies) {
    let result: DecodeResult;
    try {
      result = decodeJsonRequest(body, nowNs);
    } catch (err) {
      // The decoder's CollectorError says what is wrong; anything else (a RangeError from absurd nesting) is the file's fault too.
      throw new ImportError(400, `Not a valid OTLP JSON file: ${(err as Error).message}`, { format: "otlp-json", cause: err });
    }
    merged.spans.push(...result.spans);
    merged.rejected += result.rejected;
    merged.errors.push(...result.errors);
  }
  return merged;
}

function decodeJaeger(json: unknown, nowNs: bigint): DecodeResult {
  const parsed = parseJaegerFile(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, MAX_REASONS).map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new ImportError(400, `Not a valid Jaeger JSON file: ${issues.join("; ")}`, { format: "jaeger-json" });
  }
  return fromJaegerJson(parsed.data, nowNs);
}

/**
 * Decodes a trace file. Throws {@link ImportError} 400 when it is not JSON, neither format, or
 * holds an invalid span (the reasons of the first few are in the message) or no span at all.
 */
export function decodeTraceFile(text: string, nowNs: bigint): { format: ImportFormat; spans: StoredSpan[] } {
  const json = parseJson(text);
  const format = detectFormat(json);
  if (format === null) {
    throw new ImportError(400, "Neither OTLP JSON (an object with resourceSpans) nor Jaeger JSON (an object with data: [{ spans, processes }]).");
  }
  const result = format === "otlp-json" ? decodeOtlp(json, text, nowNs) : decodeJaeger(json, nowNs);
  if (result.rejected > 0) {
    const more = result.rejected > result.errors.length ? "; …" : "";
    throw new ImportError(400, `${result.rejected} invalid span(s), nothing imported: ${result.errors.slice(0, MAX_REASONS).join("; ")}${more}`, { format });
  }
  if (result.spans.length === 0) throw new ImportError(400, "The file holds no spans.", { format });
  return { format, spans: result.spans };
}

/** zod schema of the import's query string: `?rekey=1` imports a copy under new trace ids. */
export const ImportQuerySchema = z.object({ rekey: z.enum(["0", "1"]).default("0").transform((v) => v === "1") });
