/**
 * HTTP side of the trace import (app/api/traces/import/route.ts): same-origin guard, body size
 * limit, query string, and the mapping of outcomes to statuses. A plain function of a `Request`,
 * so the integration test drives exactly what the route runs.
 */
import { crossSiteRefusal, isCrossSiteWrite } from "../routers/same-origin.ts";
import { ImportError, ImportQuerySchema } from "./import-decode.ts";
import type { ImportErrorBody } from "./import-result.ts";
import { importTraceFile, MAX_IMPORT_BYTES, type ImportStore } from "./import.ts";

class TooLargeError extends Error {}

/** The body as UTF-8 text, read up to `limit` bytes (the declared length is checked first, then the bytes as they come). */
async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new TooLargeError();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new TooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

function errorResponse(status: number, body: ImportErrorBody): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/**
 * Answers POST /api/traces/import: 201 with the stored traces; 400 bad file or query, 409 trace
 * already stored, 413 too large, 403 from another site, 503 database trouble. `store` is called
 * only once the request passed the guards (the route gives the dashboard's, tests their own).
 */
export async function handleImport(request: Request, store: () => ImportStore): Promise<Response> {
  if (isCrossSiteWrite(request)) return crossSiteRefusal();
  const query = ImportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return errorResponse(400, { error: "The query string takes only rekey=0 or rekey=1." });
  let text: string;
  try {
    text = await readText(request, MAX_IMPORT_BYTES);
  } catch (err) {
    if (err instanceof TooLargeError) {
      return errorResponse(413, { error: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB, the most an import takes.` });
    }
    return errorResponse(400, { error: `Could not read the upload: ${(err as Error).message}` });
  }
  try {
    const result = await importTraceFile(text, { rekey: query.data.rekey }, store());
    return Response.json(result, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof ImportError) {
      return errorResponse(err.status, { error: err.message, format: err.format, ...(err.traceIds.length > 0 ? { traceIds: [...err.traceIds] } : {}) });
    }
    // Database trouble: the answer names the condition, the log the cause.
    console.error("trace import: storing failed", err);
    return errorResponse(503, { error: "The span store is unavailable; nothing was imported. Try again." });
  }
}

