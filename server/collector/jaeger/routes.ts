/**
 * Jaeger's query API (the HTTP JSON API jaeger-query serves to Jaeger UI and that Grafana's Jaeger
 * data source reads), read-only, over the span store: `/api/services`,
 * `/api/services/{service}/operations`, `/api/operations`, `/api/traces` (search),
 * `/api/traces/{id}` and `/api/dependencies`. Answers use jaeger-query's envelope
 * `{ data, total, limit, offset, errors }`; errors are `{ data: null, ..., errors: [{ code, msg }] }`
 * with the same status. Served on its own listener (see app.ts), because the collector's
 * `GET /api/traces/:id` already answers Switchyard's own format.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Db } from "../../db.ts";
import { countTraceSpans, listServices, listOperations, listTraces } from "../../store/read.ts";
import { readEdgeRows } from "../../service-map/store.ts";
import type { SpanKind, StoredSpan } from "../../store/types.ts";
import { toJaegerTrace, type JaegerTrace } from "../../trace/jaeger-json.ts";
import { MISDIRECTED_STATUS, isHostAllowed, misdirectedMessage } from "../../../services/shared/host-allow-list.ts";
import { toDependencyLinks } from "./dependencies.ts";
import { JaegerParamError, parseDependencyWindow, parseSpanKind, parseTraceSearch } from "./params.ts";
import { getTraces, listOperationKinds } from "./reads.ts";

/** What the Jaeger routes need. */
export type JaegerRouteDeps = {
  db: Db;
  /** Host names answered (DNS rebinding guard, as the collector's own routes). */
  allowedHosts: readonly string[];
  logError: (message: string, err: unknown) => void;
  /** Unix ms; tests pin it. */
  now?: () => number;
};

/** Largest number of spans one answer holds (a search's traces together, or one trace). */
export const MAX_ANSWER_SPANS = 100_000;

type JaegerError = { code: number; msg: string; traceID?: string };
type Envelope = { data: unknown; total: number; limit: number; offset: number; errors: JaegerError[] | null };

function send(res: ServerResponse, status: number, body: Envelope, pretty: boolean): void {
  const text = pretty ? JSON.stringify(body, null, 4) : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const ok = (data: unknown, total = 0, errors: JaegerError[] | null = null): Envelope => ({ data, total, limit: 0, offset: 0, errors });
const failure = (code: number, msg: string): Envelope => ({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code, msg }] });

/** A trace id as Jaeger accepts it (1 to 32 hex digits), as the store keeps it (32 lower-case). */
function storedTraceId(raw: string): string {
  const id = decodeURIComponent(raw).toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(id)) {
    throw new JaegerParamError(id.length > 32 ? "TraceID cannot be longer than 32 hex characters" : `TraceID is not a valid hex string: ${raw}`);
  }
  return id.padStart(32, "0");
}

const operationKind = (kind: SpanKind) => (kind === "UNSPECIFIED" ? "" : kind.toLowerCase());

/**
 * Loads traces until {@link MAX_ANSWER_SPANS}; the others become Jaeger errors carrying their
 * trace id (as jaeger-query reports a trace id it could not load).
 */
async function loadTraces(db: Db, counts: ReadonlyMap<string, number>, ids: readonly string[]) {
  const errors: JaegerError[] = [];
  const admitted: string[] = [];
  let spans = 0;
  for (const id of ids) {
    const count = counts.get(id);
    if (count === undefined) errors.push({ code: 404, msg: "trace not found", traceID: id });
    else if (spans + count > MAX_ANSWER_SPANS) errors.push({ code: 413, msg: `trace has ${count} spans; one answer holds at most ${MAX_ANSWER_SPANS}`, traceID: id });
    else {
      spans += count;
      admitted.push(id);
    }
  }
  const loaded = await getTraces(db, admitted);
  const traces: JaegerTrace[] = [];
  for (const id of admitted) {
    const trace = loaded.get(id) as StoredSpan[];
    if (trace.length > 0) traces.push(toJaegerTrace(trace));
  }
  return { traces, errors: errors.length > 0 ? errors : null };
}

async function searchTraces(url: URL, deps: JaegerRouteDeps, nowMs: number): Promise<Envelope> {
  const byId = url.searchParams.getAll("traceID").map(storedTraceId);
  if (byId.length > 0) {
    const { traces, errors } = await loadTraces(deps.db, await countTraceSpans(deps.db, byId), byId);
    return ok(traces, 0, errors);
  }
  const options = parseTraceSearch(url.searchParams, BigInt(nowMs) * 1000n);
  const found = await listTraces(deps.db, options);
  const { traces, errors } = await loadTraces(deps.db, new Map(found.map((t) => [t.traceId, t.spanCount])), found.map((t) => t.traceId));
  return ok(traces, 0, errors);
}

async function getOneTrace(rawId: string, deps: JaegerRouteDeps): Promise<[number, Envelope]> {
  const id = storedTraceId(rawId);
  const { traces, errors } = await loadTraces(deps.db, await countTraceSpans(deps.db, [id]), [id]);
  const error = errors?.[0];
  if (error) return [error.code, failure(error.code, error.msg)];
  return [200, ok(traces)];
}

/** Status and body of one GET. */
async function answer(url: URL, deps: JaegerRouteDeps): Promise<[number, Envelope]> {
  const path = url.pathname.replace(/\/+$/, "");
  const nowMs = (deps.now ?? Date.now)();
  if (path === "/api/services") {
    const services = await listServices(deps.db);
    return [200, ok(services, services.length)];
  }
  const legacyOps = /^\/api\/services\/([^/]+)\/operations$/.exec(path);
  if (legacyOps) {
    const names = await listOperations(deps.db, decodeURIComponent(legacyOps[1]!));
    return [200, ok(names, names.length)];
  }
  if (path === "/api/operations") {
    const service = url.searchParams.get("service");
    if (!service) return [400, failure(400, "parameter 'service' is required")];
    const operations = await listOperationKinds(deps.db, service, parseSpanKind(url.searchParams) as SpanKind | undefined);
    return [200, ok(operations.map((o) => ({ name: o.name, spanKind: operationKind(o.kind) })), operations.length)];
  }
  if (path === "/api/traces") return [200, await searchTraces(url, deps, nowMs)];
  const traceMatch = /^\/api\/traces\/([^/]+)$/.exec(path);
  if (traceMatch) return getOneTrace(traceMatch[1]!, deps);
  if (path === "/api/dependencies") {
    const { fromMs, toMs } = parseDependencyWindow(url.searchParams, nowMs);
    const links = toDependencyLinks(await readEdgeRows(deps.db, fromMs, toMs), url.searchParams.get("service") ?? undefined);
    return [200, ok(links)];
  }
  return [404, failure(404, `404 page not found: ${path}`)];
}

/** The node:http request listener of the Jaeger query API. */
export function createJaegerRequestListener(deps: JaegerRouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (!isHostAllowed(req.headers.host, deps.allowedHosts)) {
      res.setHeader("connection", "close");
      return send(res, MISDIRECTED_STATUS, failure(MISDIRECTED_STATUS, misdirectedMessage(req.headers.host)), false);
    }
    const url = new URL(req.url ?? "/", "http://jaeger-query");
    const pretty = (url.searchParams.get("prettyPrint") ?? "false") !== "false" && url.searchParams.get("prettyPrint") !== "";
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET");
      return send(res, 405, failure(405, "read-only API: method not allowed, use GET"), pretty);
    }
    answer(url, deps)
      .then(([status, body]) => send(res, status, body, pretty))
      .catch((err: unknown) => {
        if (err instanceof JaegerParamError || err instanceof URIError) return send(res, 400, failure(400, err.message), pretty);
        const ref = randomUUID().slice(0, 8);
        deps.logError(`jaeger query API: ${req.method} ${req.url} failed (ref ${ref})`, err);
        if (!res.headersSent) send(res, 500, failure(500, `internal error (ref ${ref})`), pretty);
        else res.destroy();
      });
  };
}
