import type http from "node:http";
import { TRPCError, type AnyRouter } from "@trpc/server";
import {
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  type AnyProcedure,
} from "@trpc/server/unstable-core-do-not-import";
import { TRPC_BASE_PATH } from "../shared/trpc-paths.ts";

/** Past this body size a call is left to tRPC's own handler (which reads any size). */
const MAX_FAST_BODY_BYTES = 1 << 20;

/**
 * The one call shape the services' clients send (services/kit/rpc-client.ts: httpLink, no
 * batching): a JSON `POST /trpc/<mutation path>`, answered with tRPC's own procedure call, error
 * shape, HTTP status and transformer, but without tRPC 11's node adapter, which turns every
 * request into a WHATWG `Request` (undici Headers, a web ReadableStream body, three AbortSignals)
 * and its answer into a `Response`: about a fifth of an RPC participant's CPU per order
 * (profiled with bench:hybrid, see docs/performance.md). No library offers a node-native tRPC
 * handler; everything else (queries, batches, other content types, large bodies) goes to tRPC's.
 *
 * Returns a handler that answers and returns true, or returns false having touched nothing.
 */
export function createTrpcMutationFastPath(router: AnyRouter): (req: http.IncomingMessage, res: http.ServerResponse, path: string) => boolean {
  const config = router._def._config;
  const prefix = `${TRPC_BASE_PATH}/`;
  return (req, res, path) => {
    if (req.method !== "POST" || !path.startsWith(prefix) || (req.url ?? "").includes("?")) return false;
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return false;
    const length = Number(req.headers["content-length"] ?? Number.NaN);
    if (!(length <= MAX_FAST_BODY_BYTES)) return false;
    const procedurePath = decodeURIComponent(path.slice(prefix.length));
    // Resolved synchronously for a plain router record; a lazy router goes to tRPC's handler.
    const procedure = (router._def.procedures as Record<string, AnyProcedure | undefined>)[procedurePath];
    if (!procedure || procedure._def.type !== "mutation") return false;
    readBody(req, length).then(
      (body) => answer(res, procedure, procedurePath, body),
      () => res.destroy(),
    );
    return true;
  };

  async function answer(res: http.ServerResponse, procedure: AnyProcedure, path: string, body: string): Promise<void> {
    let input: unknown;
    let json: Parameters<typeof getHTTPStatusCode>[0];
    try {
      const data = await procedure({
        path,
        getRawInput: async () => (input = config.transformer.input.deserialize(parseInput(body))),
        ctx: undefined,
        type: "mutation",
        signal: undefined,
        batchIndex: 0,
      });
      json = { result: { data } };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      json = { error: getErrorShape({ config, ctx: undefined, error, input, path, type: "mutation" }) };
    }
    const text = JSON.stringify(transformTRPCResponse(config, json));
    if (res.destroyed) return;
    res.writeHead(getHTTPStatusCode(json), {
      vary: "trpc-accept, accept",
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }
}

/**
 * The input as tRPC's JSON handler reads it: an empty or malformed body is a BAD_REQUEST with the
 * parser's message, raised inside the procedure call.
 */
function parseInput(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (cause) {
    throw new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
  }
}

/** The request body as text, `length` bytes as its Content-Length says. */
function readBody(req: http.IncomingMessage, length: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > length) req.destroy(new Error("body longer than its content-length"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
