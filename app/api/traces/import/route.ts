import { handleImport } from "../../../../server/trace/import-route.ts";
import { getImportStore } from "../../../../server/trace/import-store.ts";

/** Every request writes; nothing here is built ahead. */
export const dynamic = "force-dynamic";

/**
 * POST /api/traces/import: the body is an OTLP JSON or Jaeger JSON file (uploaded or pasted), at
 * most 32 MiB. 201 with the stored trace ids; 400 bad file, 409 trace already stored (`?rekey=1`
 * stores a copy under new ids), 413 too large, 403 from another site. See server/trace/import.ts.
 */
export function POST(request: Request): Promise<Response> {
  return handleImport(request, getImportStore);
}
