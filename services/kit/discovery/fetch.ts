import { SpanKind, trace, type Span } from "@opentelemetry/api";
import { Attr, DISCOVERY_BALANCER } from "../../contracts/index.ts";
import { TRPC_BASE_PATH } from "../../shared/trpc-paths.ts";
import { keepAliveFetch } from "../http-fetch.ts";
import type { Endpoint } from "./balancer.ts";
import type { ServiceDirectory } from "./directory.ts";

let directory: ServiceDirectory | null = null;

/** Makes `dir` this process's directory: from now on clients resolve services through it. */
export function useDirectory(dir: ServiceDirectory | null): void {
  directory = dir;
}

/** The service a tRPC URL targets: `/trpc/inventory.reserveStock` -> `inventory`. */
export function serviceOfTrpcUrl(url: URL): string | null {
  if (!url.pathname.startsWith(`${TRPC_BASE_PATH}/`)) return null;
  const path = decodeURIComponent(url.pathname.slice(TRPC_BASE_PATH.length + 1));
  const dot = path.indexOf(".");
  return dot > 0 ? path.slice(0, dot) : null;
}

function errorCodes(error: unknown): string[] {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined)?.cause;
  if (!cause) return [];
  return [cause.code, ...(cause.errors ?? []).map((e) => e.code)].filter((c): c is string => typeof c === "string");
}

/** The request never reached a server process: safe to send elsewhere, whatever it was. */
export function isConnectionRefused(error: unknown): boolean {
  return errorCodes(error).includes("ECONNREFUSED");
}

/** The connection broke mid-request: the server may have acted on it; only idempotent requests go elsewhere. */
function isConnectionBroken(error: unknown): boolean {
  return errorCodes(error).some((c) => c === "ECONNRESET" || c === "UND_ERR_SOCKET" || c === "EPIPE");
}

/** The CLIENT span of the attempt (call-link makes it active around the request). */
function clientSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return (span as { kind?: SpanKind } | undefined)?.kind === SpanKind.CLIENT ? span : undefined;
}

function recordChoice(span: Span | undefined, url: URL, endpoint: Endpoint, candidates: number, failovers: number): void {
  span?.setAttributes({
    [Attr.SERVER_ADDRESS]: endpoint.host,
    [Attr.SERVER_PORT]: endpoint.port,
    [Attr.URL_FULL]: url.href,
    [Attr.SERVICE_INSTANCE_ID]: endpoint.instanceId,
    [Attr.DISCOVERY_SERVICE]: endpoint.service,
    [Attr.DISCOVERY_CANDIDATES]: candidates,
    [Attr.DISCOVERY_BALANCER]: DISCOVERY_BALANCER,
    [Attr.DISCOVERY_FAILOVERS]: failovers,
  });
}

/**
 * `fetch` for tRPC's httpLink: sends each request to a live instance of the service named in its
 * path (least outstanding, see balancer.ts). A refused connection ejects that instance and the
 * same request goes to the next one (it never reached a server, so this is safe for mutations); a
 * connection broken mid-request is retried elsewhere only for GET (tRPC queries). 5xx answers
 * count towards ejection but are returned as they are (retrying them is the resilience policy's
 * call). Without a directory, or with no instance registered, the configured URL is used.
 */
export async function discoveryFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const original = new URL(input instanceof Request ? input.url : input);
  const service = directory ? serviceOfTrpcUrl(original) : null;
  const endpoints = service ? directory!.endpointsOf(service) : null;
  if (!endpoints || endpoints.size === 0) {
    if (service) clientSpan()?.setAttribute(Attr.DISCOVERY_STATIC, true);
    return keepAliveFetch(input, init);
  }
  const ejectMs = directory!.options.ejectMs;
  const isIdempotent = (init?.method ?? "GET").toUpperCase() === "GET";
  const tried = new Set<string>();
  const span = clientSpan();
  for (;;) {
    const choice = endpoints.pick(Date.now(), tried);
    if (!choice) throw new Error(`no instance of ${service} left to try`);
    const { endpoint } = choice;
    const url = new URL(original);
    url.host = `${endpoint.host}:${endpoint.port}`;
    recordChoice(span, url, endpoint, choice.candidates, tried.size);
    endpoint.outstanding += 1;
    try {
      const response = await keepAliveFetch(url, init);
      endpoints.recordOutcome(endpoint, response.status < 500, Date.now(), ejectMs);
      return response;
    } catch (error) {
      const refused = isConnectionRefused(error);
      if (refused || isConnectionBroken(error)) endpoints.eject(endpoint, Date.now(), ejectMs);
      const canFailOver = !init?.signal?.aborted && (refused || (isIdempotent && isConnectionBroken(error)));
      tried.add(endpoint.instanceId);
      if (!canFailOver || endpoints.candidates(Date.now(), tried).length === 0) throw error;
    } finally {
      endpoint.outstanding -= 1;
    }
  }
}
