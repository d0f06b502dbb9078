/**
 * StoredSpans -> rows of COPY text format for telemetry.spans-shaped tables, plus the distinct
 * resources they reference. Cheaper on both sides than bound arrays: node-postgres escapes every
 * element of a text[] parameter (quotes in JSON included) and PostgreSQL parses the array literal
 * again; COPY text only needs backslash, tab, newline and CR escaped, and JSON text holds no raw
 * control characters, so only its backslashes need doubling.
 */
import { createHash } from "node:crypto";
import { SPAN_KINDS, STATUS_CODES, type Attributes, type StoredSpan } from "./types.ts";

/** Column order of the rows {@link encodeSpanRows} produces. */
export const SPAN_COPY_COLUMNS = `trace_id, span_id, parent_span_id, name, kind, service_name,
  start_time_unix_nano, end_time_unix_nano, status_code, status_message, attributes, events, links,
  resource_id, scope_name`;

/** A batch ready for COPY: text rows and the resources (id -> JSON text) they reference. */
export type SpanRows = { chunks: Buffer[]; resourceIds: string[]; resourceJson: string[] };

const KIND_NUMBER = new Map<string, number>(SPAN_KINDS.map((k, i) => [k, i]));
const STATUS_NUMBER = new Map<string, number>(STATUS_CODES.map((c, i) => [c, i]));
/** Rows per chunk: keeps each string concatenation and CopyData message moderate. */
const ROWS_PER_CHUNK = 1024;

const COPY_SPECIAL = /[\\\t\n\r]/g;
const HAS_COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * JSON text as one COPY field: JSON.stringify output has no raw tab/newline/CR, only backslashes.
 * Strings PostgreSQL cannot hold (U+0000, lone surrogates) never get here: decoding made every
 * span storable (server/collector/otlp/storable.ts).
 */
function copyJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\") ? json.replaceAll("\\", "\\\\") : json;
}

/** Text as one COPY field (null -> \N). */
export function copyText(text: string | null): string {
  if (text === null) return "\\N";
  return HAS_COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c]!) : text;
}

/** Resource id: the first 64 bits of the md5 of its JSON text, as a signed decimal string. */
function resourceId(json: string): string {
  return createHash("md5").update(json).digest().readBigInt64BE(0).toString();
}

/**
 * Encodes `spans` for `COPY (...SPAN_COPY_COLUMNS) FROM STDIN`. Spans of one ResourceSpans share
 * one resource object, so each resource is serialised and hashed once per batch.
 */
export function encodeSpanRows(spans: readonly StoredSpan[]): SpanRows {
  const byObject = new Map<Attributes, string>();
  const resources = new Map<string, string>();
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  for (const s of spans) {
    let rid = byObject.get(s.resource);
    if (rid === undefined) {
      const json = JSON.stringify(s.resource);
      rid = resourceId(json);
      byObject.set(s.resource, rid);
      resources.set(rid, json);
    }
    lines.push(
      `${s.traceId}\t${s.spanId}\t${s.parentSpanId ?? "\\N"}\t${copyText(s.name)}\t${KIND_NUMBER.get(s.kind) ?? 0}\t` +
        `${copyText(s.serviceName)}\t${s.startTimeUnixNano}\t${s.endTimeUnixNano}\t${STATUS_NUMBER.get(s.status.code) ?? 0}\t` +
        `${copyText(s.status.message)}\t${copyJson(s.attributes)}\t${s.events.length === 0 ? "[]" : copyJson(s.events)}\t` +
        `${s.links.length === 0 ? "[]" : copyJson(s.links)}\t${rid}\t${copyText(s.scopeName)}\n`,
    );
    if (lines.length === ROWS_PER_CHUNK) {
      chunks.push(Buffer.from(lines.join("")));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(lines.join("")));
  return { chunks, resourceIds: [...resources.keys()], resourceJson: [...resources.values()] };
}
