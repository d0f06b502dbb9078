import http from "node:http";

/**
 * The part of `fetch` the tRPC client (httpLink) and discovery use, over `node:http` with a
 * keep-alive agent. Node's global fetch (undici) with its web streams, abort-signal plumbing and
 * Response objects was about a sixth of the order service's CPU in bench:hybrid; a tRPC call is
 * one small JSON request and one small JSON answer, which `node:http` does for much less.
 * Behaves like fetch where the callers look: the answer's status and JSON body; a request that
 * got no answer rejects with `TypeError("fetch failed")` whose `cause` carries the socket error's
 * `code` (ECONNREFUSED, ECONNRESET, ...), as undici's does; an aborted signal rejects with its
 * reason. Anything but plain `http:` goes to the global fetch.
 */

/**
 * Sockets are reused across calls; LIFO keeps the few busiest warm rather than all of them. Idle
 * ones close after 30 s, well before the servers drop them (keepAliveTimeout 65 s,
 * services/kit/http-server.ts), so a request is not sent on a socket the server is closing.
 */
const agent = new http.Agent({ keepAlive: true, scheduling: "lifo", maxFreeSockets: 32, timeout: 30_000 });

/** The answer, read in full (tRPC answers are small): what tRPC and discovery read of a Response. */
class BufferedResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly #raw: http.IncomingHttpHeaders;
  readonly #body: string;

  constructor(status: number, statusText: string, headers: http.IncomingHttpHeaders, body: string) {
    this.status = status;
    this.ok = status >= 200 && status < 300;
    this.statusText = statusText;
    this.#raw = headers;
    this.#body = body;
  }

  /** Built on first use only: most callers never look. */
  get headers(): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.#raw)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    return headers;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.#body);
  }

  async text(): Promise<string> {
    return this.#body;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const given = init?.headers;
  if (!given) return {};
  if (given instanceof Headers || Array.isArray(given)) return Object.fromEntries(new Headers(given));
  return given as Record<string, string>;
}

/** `fetch(url, init)` for `http:` URLs with string bodies, over the keep-alive agent. */
export function keepAliveFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = input instanceof URL ? input : typeof input === "string" ? new URL(input) : null;
  const body = init?.body;
  if (!url || url.protocol !== "http:" || (body !== undefined && body !== null && typeof body !== "string")) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<Response>((resolve, reject) => {
    const headers = headersOf(init);
    if (typeof body === "string") headers["content-length"] = String(Buffer.byteLength(body));
    const request = http.request(url, { method: init?.method ?? "GET", headers, agent });
    const onAbort = () => {
      request.destroy();
      reject(abortReason(signal!));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal?.removeEventListener("abort", onAbort);
    request.on("error", (error) => {
      settle();
      reject(new TypeError("fetch failed", { cause: error }));
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => {
        settle();
        reject(new TypeError("fetch failed", { cause: error }));
      });
      // A socket closed before the whole answer came: no answer, as a reset.
      response.on("close", () => {
        if (response.complete) return;
        settle();
        reject(new TypeError("fetch failed", { cause: Object.assign(new Error("the connection closed mid-answer"), { code: "ECONNRESET" }) }));
      });
      response.on("end", () => {
        settle();
        const text = Buffer.concat(chunks).toString("utf8");
        resolve(new BufferedResponse(response.statusCode ?? 0, response.statusMessage ?? "", response.headers, text) as unknown as Response);
      });
    });
    request.end(typeof body === "string" ? body : undefined);
  });
}
