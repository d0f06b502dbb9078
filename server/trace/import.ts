/**
 * Import of a trace file (OTLP JSON or Jaeger JSON) into the span store, behind
 * `POST /api/traces/import`. Decisions:
 * - Stored, not only shown: through the store's write path (`insertSpans`, the function the
 *   collector's batcher calls), in ONE transaction, so an import is all or nothing and the trace
 *   then has a URL and every view (waterfall, flow, statistics, compare) works on it. Like every
 *   trace it is subject to retention. It does not feed the live service map (an aggregate the
 *   collector folds from live traffic; a file from elsewhere or from last month would distort it).
 * - Marked: every span's resource gets `switchyard.imported: true` and the file's format.
 * - A trace id already stored is refused (409) unless the caller asks for a copy (`rekey`): the
 *   id is the trace's identity (links, logs and other traces name it), so silently re-keying
 *   would hide that it is the same trace, and merging would mix the file's spans into the stored
 *   ones. A copy gets fresh trace ids and keeps the original as `switchyard.import.original_trace_id`.
 */
import { randomBytes } from "node:crypto";
import type { Attributes, StoredSpan } from "../store/types.ts";
import { decodeTraceFile, ImportError, type ImportFormat } from "./import-decode.ts";
import type { ImportedTrace, ImportResult } from "./import-result.ts";

export { MAX_IMPORT_BYTES } from "./import-result.ts";

/** Most spans accepted in one file (413 above), as for downloads: one transaction, one page in memory. */
export const MAX_IMPORT_SPANS = 100_000;
/** Resource attributes marking imported spans. */
export const IMPORTED_KEY = "switchyard.imported";
export const IMPORT_FORMAT_KEY = "switchyard.import.format";
export const ORIGINAL_TRACE_ID_KEY = "switchyard.import.original_trace_id";

/** What an import needs from the span store (server/trace/import-store.ts gives the real one). */
export type ImportStore = {
  /** Those of `traceIds` that have spans stored. */
  findStoredTraceIds: (traceIds: readonly string[]) => Promise<string[]>;
  /** Stores every span in one transaction (all or nothing). */
  insertSpans: (spans: readonly StoredSpan[]) => Promise<void>;
};

/** Options of {@link importTraceFile}. */
export type ImportOptions = {
  /** Store a copy under new trace ids instead of refusing ids already stored. */
  rekey: boolean;
  /** "Now" for the collector's time checks (tests pin it). */
  nowNs?: bigint;
  /** New trace ids for `rekey` (tests pin them). */
  newTraceId?: () => string;
};

const randomTraceId = () => randomBytes(16).toString("hex");

/**
 * The spans marked as imported (resource attributes), re-keyed by `newIds` when given: trace ids,
 * and links into the re-keyed traces, move to the new ids. Returns new span objects.
 */
export function markImported(spans: readonly StoredSpan[], format: ImportFormat, newIds: ReadonlyMap<string, string> | null): StoredSpan[] {
  // One marked resource per (resource, trace) so identical resources stay identical (stored once).
  const marked = new Map<Attributes, Map<string, Attributes>>();
  const resourceOf = (span: StoredSpan): Attributes => {
    const perTrace = marked.get(span.resource) ?? new Map<string, Attributes>();
    marked.set(span.resource, perTrace);
    const key = newIds ? span.traceId : "";
    const existing = perTrace.get(key);
    if (existing) return existing;
    const resource: Attributes = { ...span.resource, [IMPORTED_KEY]: true, [IMPORT_FORMAT_KEY]: format };
    if (newIds) resource[ORIGINAL_TRACE_ID_KEY] = span.traceId;
    perTrace.set(key, resource);
    return resource;
  };
  return spans.map((span) => ({
    ...span,
    traceId: newIds?.get(span.traceId) ?? span.traceId,
    links: newIds ? span.links.map((l) => ({ ...l, traceId: newIds.get(l.traceId) ?? l.traceId })) : span.links,
    resource: resourceOf(span),
  }));
}

function summarize(spans: readonly StoredSpan[], originals: ReadonlyMap<string, string> | null): ImportedTrace[] {
  const byTrace = new Map<string, StoredSpan[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return [...byTrace.entries()].map(([traceId, list]) => {
    const earliest = (a: StoredSpan, b: StoredSpan) => (BigInt(a.startTimeUnixNano) <= BigInt(b.startTimeUnixNano) ? a : b);
    const roots = list.filter((s) => s.parentSpanId === null);
    const root = (roots.length > 0 ? roots : list).reduce(earliest);
    return { traceId, originalTraceId: originals?.get(traceId) ?? null, spanCount: list.length, rootName: `${root.serviceName}: ${root.name}` };
  });
}

/**
 * Decodes, validates and stores a trace file. Throws {@link ImportError}: 400 bad file (nothing
 * stored), 413 more than {@link MAX_IMPORT_SPANS} spans, 409 a trace id already stored (without
 * `rekey`). Database failures are thrown as they are (the route answers 503).
 */
export async function importTraceFile(text: string, options: ImportOptions, store: ImportStore): Promise<ImportResult> {
  const { format, spans } = decodeTraceFile(text, options.nowNs ?? BigInt(Date.now()) * 1_000_000n);
  if (spans.length > MAX_IMPORT_SPANS) {
    throw new ImportError(413, `The file holds ${spans.length} spans; an import takes at most ${MAX_IMPORT_SPANS}.`, { format });
  }
  const traceIds = [...new Set(spans.map((s) => s.traceId))];
  let newIds: Map<string, string> | null = null;
  if (options.rekey) {
    const newTraceId = options.newTraceId ?? randomTraceId;
    newIds = new Map(traceIds.map((id) => [id, newTraceId()]));
  } else {
    const stored = await store.findStoredTraceIds(traceIds);
    if (stored.length > 0) {
      const which = stored.length === 1 ? `Trace ${stored[0]} is` : `Traces ${stored.join(", ")} are`;
      throw new ImportError(409, `${which} already stored; nothing imported. Import it as a copy under a new trace id, or open it.`, { format, traceIds: stored });
    }
  }
  const marked = markImported(spans, format, newIds);
  await store.insertSpans(marked);
  const originals = newIds ? new Map([...newIds].map(([original, fresh]) => [fresh, original])) : null;
  return { format, stored: true, traces: summarize(marked, originals) };
}
