/**
 * The span store as an import sees it: the store's own write path (`insertSpans`, one
 * transaction: COPY into a staging table, then spans, resources and the trace summary) over a
 * small node-postgres pool of the dashboard process. The dashboard's Prisma client cannot COPY.
 */
import pg from "pg";
import { getEnv } from "../env.ts";
import { insertSpans } from "../store/write.ts";
import type { ImportStore } from "./import.ts";

/** An import of 100,000 spans writes in a few seconds; past this, something is wrong. */
const IMPORT_STATEMENT_TIMEOUT_MS = 60_000;

/** The import store over `pool`. */
export function createImportStore(pool: pg.Pool): ImportStore {
  return {
    findStoredTraceIds: async (traceIds) => {
      const { rows } = await pool.query<{ trace_id: string }>(
        "SELECT trace_id FROM telemetry.traces WHERE trace_id = ANY($1::bpchar[]) ORDER BY trace_id",
        [traceIds],
      );
      return rows.map((r) => r.trace_id);
    },
    insertSpans: (spans) => insertSpans(pool, spans),
  };
}

// On globalThis so `next dev` hot reloads reuse one pool instead of leaking one per edit.
const holder = globalThis as typeof globalThis & { switchyardImportPool?: pg.Pool };

/** The dashboard process's import store, its pool created on first use (2 connections: imports are rare). */
export function getImportStore(): ImportStore {
  if (!holder.switchyardImportPool) {
    const pool = new pg.Pool({
      connectionString: getEnv().DATABASE_URL,
      max: 2,
      application_name: "switchyard-dashboard-import",
      connectionTimeoutMillis: 5_000,
      statement_timeout: IMPORT_STATEMENT_TIMEOUT_MS,
    });
    // An idle connection dropped by the server must not crash the dashboard; the next import reconnects.
    pool.on("error", (err) => console.error("dashboard: idle import connection failed", err));
    holder.switchyardImportPool = pool;
  }
  return createImportStore(holder.switchyardImportPool);
}
