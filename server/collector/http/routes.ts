/**
 * Request routing of the collector: OTLP ingest, the trace API and health. Plain node:http is
 * enough here: three fixed routes, no templating or middleware chain, and the ingest path
 * wants direct control over body streaming and limits without a framework's body parser.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { CollectorError } from "../otlp/errors.ts";
import { ingestExport, type StoreSpans, type StoredExport } from "../otlp/ingest.ts";
import { readBody } from "./body.ts";
import { sendExportOk, sendJson, sendOtlpError, type OtlpFormat } from "./respond.ts";
import { BatcherFullError } from "../../store/batcher.ts";
import type { StoredSpan } from "../../store/types.ts";
import { MISDIRECTED_STATUS, isHostAllowed, misdirectedMessage } from "../../../services/shared/host-allow-list.ts";

/** What the routes need from the rest of the collector. */
export type RouteDeps = {
  bodyLimitBytes: number;
  /** Resolves once the spans are committed, naming any the database refused. */
  storeSpans: StoreSpans;
  getTrace: (traceId: string) => Promise<StoredSpan[] | null>;
  /** Resolves when the database answers. */
  pingDb: () => Promise<void>;
  logError: (message: string, err: unknown) => void;
  /** Host names this collector answers to (DNS rebinding guard); see services/shared/host-allow-list.ts. */
  allowedHosts: readonly string[];
  /** Forwarding (server/collector/forward/): told of each stored export; its counters go into /health. */
  forwarding?: { accept: (stored: StoredExport) => void; status: () => unknown } | null;
};

const TRACE_PATH = /^\/api\/traces\/([^/]+)$/;
const RETRY_AFTER_SECONDS = "2";

function formatOf(req: IncomingMessage): OtlpFormat | null {
  const mediaType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/x-protobuf") return "protobuf";
  if (mediaType === "application/json") return "json";
  return null;
}

async function handleExport(req: IncomingMessage, res: ServerResponse, deps: RouteDeps): Promise<void> {
  const format = formatOf(req);
  if (format === null) {
    const msg = `unsupported Content-Type "${req.headers["content-type"] ?? ""}" (use application/x-protobuf or application/json)`;
    return sendOtlpError(res, "json", 415, "UNSUPPORTED_MEDIA_TYPE", msg, { connection: "close" });
  }
  try {
    const outcome = await ingestExport(format, await readBody(req, deps.bodyLimitBytes), deps.storeSpans, deps.forwarding?.accept);
    sendExportOk(res, format, outcome.rejected, outcome.errorMessage);
  } catch (err) {
    if (err instanceof CollectorError) {
      // Unread body left on the socket: close it rather than drain up to the limit.
      const headers: Record<string, string> = err.code === "PAYLOAD_TOO_LARGE" ? { connection: "close" } : {};
      return sendOtlpError(res, format, err.status, err.code, err.message, headers);
    }
    // Full queue or database trouble: retryable for the sender (OTLP treats 503 as retryable).
    // The answer names the condition, never the database's own text (that goes to the log).
    if (err instanceof BatcherFullError) {
      return sendOtlpError(res, format, 503, "UNAVAILABLE", err.message, { "retry-after": RETRY_AFTER_SECONDS });
    }
    deps.logError("storing spans failed", err);
    sendOtlpError(res, format, 503, "UNAVAILABLE", "span store unavailable, retry later", { "retry-after": RETRY_AFTER_SECONDS });
  }
}

async function handleGetTrace(res: ServerResponse, rawId: string, deps: RouteDeps): Promise<void> {
  const traceId = rawId.toLowerCase(); // a valid id has nothing to percent-decode
  if (!/^[0-9a-f]{32}$/.test(traceId)) return sendJson(res, 400, { error: "traceId must be 32 hex characters" });
  const spans = await deps.getTrace(traceId);
  if (spans === null) return sendJson(res, 404, { error: `trace ${traceId} not found` });
  sendJson(res, 200, { traceId, spans });
}

async function handleHealth(res: ServerResponse, deps: RouteDeps): Promise<void> {
  try {
    await deps.pingDb();
    sendJson(res, 200, { status: "ok", forwarding: deps.forwarding?.status() ?? { enabled: false } });
  } catch (err) {
    deps.logError("health: database check failed", err);
    sendJson(res, 503, { status: "unavailable", error: "database unreachable" });
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { error: `method not allowed, use ${allow}` }, { allow });
}

async function route(req: IncomingMessage, res: ServerResponse, deps: RouteDeps): Promise<void> {
  const path = (req.url ?? "/").split("?")[0]!;
  const isGet = req.method === "GET" || req.method === "HEAD";
  if (path === "/v1/traces") return req.method === "POST" ? handleExport(req, res, deps) : methodNotAllowed(res, "POST");
  const traceMatch = TRACE_PATH.exec(path);
  if (traceMatch) return isGet ? handleGetTrace(res, traceMatch[1]!, deps) : methodNotAllowed(res, "GET");
  if (path === "/health") return isGet ? handleHealth(res, deps) : methodNotAllowed(res, "GET");
  sendJson(res, 404, { error: `no route for ${path}` });
}

/** The node:http request listener of the collector. */
export function createRequestListener(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Before routing: a page on a rebound name (evil.example -> 127.0.0.1) gets nothing, not even health.
    if (!isHostAllowed(req.headers.host, deps.allowedHosts)) {
      return sendJson(res, MISDIRECTED_STATUS, { error: misdirectedMessage(req.headers.host) }, { connection: "close" });
    }
    route(req, res, deps).catch((err: unknown) => {
      deps.logError(`${req.method} ${req.url} failed`, err);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    });
  };
}
