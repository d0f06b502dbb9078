/**
 * Makes a decoded span storable and safe to show, in one pass shared by both decoders:
 * - strings PostgreSQL cannot hold become storable: a lone UTF-16 surrogate (JSON allows "\ud800",
 *   jsonb refuses it, and a truncation elsewhere can split a pair) and U+0000 become U+FFFD;
 * - attribute values nested deeper than {@link MAX_DEPTH} are cut (jsonb and the views have limits);
 * - credentials in URLs and headers are redacted, as the OpenTelemetry semantic conventions ask
 *   for `url.full` / `url.query` and `http.request.header.*`, whichever SDK sent them.
 * Every replaced string is counted on the span (or the resource) as
 * {@link REPLACED_STRINGS_KEY}, so a changed value is never silently presented as sent.
 * Written here because the values arrive already flattened to plain JSON; no library cleans a
 * JSON tree for PostgreSQL.
 */
import type { AttrValue, Attributes } from "../../store/types.ts";

/** Attribute counting the strings (keys or values) ingest had to replace on this span or resource. */
export const REPLACED_STRINGS_KEY = "switchyard.ingest.replaced_strings";
/** Deepest nesting of arrays/maps kept in an attribute value. */
export const MAX_DEPTH = 32;
/** What a redacted credential reads as (the semantic conventions' own placeholder). */
export const REDACTED = "REDACTED";

/** Counter threaded through one span's (or resource's) cleaning. */
type Tally = { replaced: number };

// String.prototype.isWellFormed/toWellFormed are ES2024 (Node 20 has them; the TS lib is ES2023).
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

/** `text` with lone surrogates and NUL replaced by U+FFFD (the same string when already fine). */
export function storableText(text: string, tally?: Tally): string {
  const s = text as Es2024String;
  if (s.isWellFormed() && !text.includes("\0")) return text;
  if (tally) tally.replaced++;
  return s.toWellFormed().replaceAll("\0", "\ufffd");
}

function storableValue(value: AttrValue, tally: Tally, depth: number): AttrValue {
  if (typeof value === "string") return storableText(value, tally);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) {
    tally.replaced++;
    return `[nested deeper than ${MAX_DEPTH} levels]`;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = storableValue(value[i]!, tally, depth + 1);
    return value;
  }
  return storableMap(value, tally, depth + 1);
}

/** Cleans keys and values of `attrs` in place (a decoder's own fresh objects) and returns it. */
function storableMap(attrs: Attributes, tally: Tally, depth: number): Attributes {
  for (const key of Object.keys(attrs)) {
    const value = storableValue(attrs[key]!, tally, depth);
    const cleanKey = storableText(key, tally);
    if (cleanKey !== key) delete attrs[key];
    attrs[cleanKey] = value;
  }
  return attrs;
}

/** Query parameters and headers whose values are credentials (compared lower-case). */
const SECRET_PARAMS = new Set([
  "api_key", "apikey", "api-key", "key", "token", "access_token", "refresh_token", "id_token", "sig",
  "signature", "password", "passwd", "pwd", "secret", "client_secret", "auth", "authorization",
  "awsaccesskeyid", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature",
]);
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"]);
/** Attributes holding a URL or a query string (current and older HTTP conventions). */
const URL_KEYS = new Set(["url.full", "url.query", "url.original", "http.url", "http.target"]);
const HEADER_KEY = /^http\.(?:request|response)\.header\.(.+)$/;
const QUERY_PARAM = /([?&;]|^)([^=&#;?]+)=([^&#;]*)/g;
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i;

/** `url` (a URL, a path with query, or a bare query string) with credential values redacted. */
export function redactUrl(url: string): string {
  const withoutUser = url.replace(USERINFO, `$1${REDACTED}:${REDACTED}@`);
  return withoutUser.replace(QUERY_PARAM, (whole, sep: string, name: string) =>
    SECRET_PARAMS.has(safeDecode(name).toLowerCase()) ? `${sep}${name}=${REDACTED}` : whole,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function redactAttributes(attrs: Attributes): void {
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (URL_KEYS.has(key) && typeof value === "string") {
      attrs[key] = redactUrl(value);
      continue;
    }
    const header = HEADER_KEY.exec(key);
    if (header && SECRET_HEADERS.has(header[1]!.toLowerCase().replaceAll("_", "-"))) {
      attrs[key] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    }
  }
}

/** The parts of a decoded span this module cleans (mutated in place). */
export type CleanableSpan = {
  name: string;
  statusMessage: string;
  attributes: Attributes;
  events: { name: string; attributes: Attributes }[];
  links: { attributes: Attributes }[];
};

/** Makes `span` storable and redacted in place; records the replaced-string count on it. */
export function makeSpanStorable(span: CleanableSpan): void {
  const tally: Tally = { replaced: 0 };
  span.name = storableText(span.name, tally);
  span.statusMessage = storableText(span.statusMessage, tally);
  storableMap(span.attributes, tally, 0);
  for (const event of span.events) {
    event.name = storableText(event.name, tally);
    storableMap(event.attributes, tally, 0);
  }
  for (const link of span.links) storableMap(link.attributes, tally, 0);
  redactAttributes(span.attributes);
  if (tally.replaced > 0) span.attributes[REPLACED_STRINGS_KEY] = tally.replaced;
}

/** Makes resource attributes storable and redacted in place (once per ResourceSpans). */
export function makeResourceStorable(resource: Attributes): Attributes {
  const tally: Tally = { replaced: 0 };
  storableMap(resource, tally, 0);
  redactAttributes(resource);
  if (tally.replaced > 0) resource[REPLACED_STRINGS_KEY] = tally.replaced;
  return resource;
}
