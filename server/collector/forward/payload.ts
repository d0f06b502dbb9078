/**
 * What to forward for one accepted export: the request body as it arrived (cheapest: no
 * re-encoding) when every span in it was stored unchanged, otherwise the stored spans re-encoded
 * as OTLP JSON, so the remote never gets a span the local store refused, nor a credential or
 * an unstorable string ingest replaced (server/collector/otlp/storable.ts).
 */
import { REDACTED, REPLACED_STRINGS_KEY } from "../otlp/storable.ts";
import { toOtlpJson } from "../../trace/otlp-json.ts";
import type { Attributes, StoredSpan } from "../../store/types.ts";
import type { ForwardItem } from "./buffer.ts";
import type { StoredExport } from "../otlp/ingest.ts";

/**
 * One export the store accepted: its decoded (gunzipped) body, the spans stored from it, and
 * `isComplete` false when some of its spans were rejected (by validation or the database).
 */
export type AcceptedExport = StoredExport;

/** Ingest marks every value it changed: a replaced-strings count, or the redaction placeholder (top level only). */
function isChanged(attributes: Attributes): boolean {
  if (REPLACED_STRINGS_KEY in attributes) return true;
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === "string" ? value.includes(REDACTED) : Array.isArray(value) && value.includes(REDACTED)) return true;
  }
  return false;
}

/** Whether any stored span (or its resource) differs from what was sent. Conservative: a sender's own "REDACTED" text counts. */
export function hasChangedSpans(spans: readonly StoredSpan[]): boolean {
  const seenResources = new Set<Attributes>();
  for (const span of spans) {
    if (isChanged(span.attributes)) return true;
    if (!seenResources.has(span.resource)) {
      seenResources.add(span.resource);
      if (isChanged(span.resource)) return true;
    }
  }
  return false;
}

/** The body to forward for `accepted`, or null when nothing of it was stored. */
export function forwardItemOf(accepted: AcceptedExport): ForwardItem | null {
  const spans = accepted.stored.length;
  if (spans === 0) return null;
  if (accepted.isComplete && !hasChangedSpans(accepted.stored)) {
    const contentType = accepted.format === "protobuf" ? "application/x-protobuf" : "application/json";
    return { body: accepted.body, contentType, spans };
  }
  return { body: Buffer.from(JSON.stringify(toOtlpJson(accepted.stored))), contentType: "application/json", spans };
}
