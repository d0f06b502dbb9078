/**
 * `COPY ... FROM STDIN` over node-postgres without pg-copy-streams: a submittable query that
 * answers the server's CopyInResponse with ready-made text-format chunks. Used by the span write
 * path (server/store/write.ts) and the ingest benchmark's bare COPY.
 */
import type pg from "pg";

type CopyConnection = { query(text: string): void; sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void };

/**
 * Runs `sql` (a `COPY <target> FROM STDIN` statement) on `client`, streaming `chunks` (text-format
 * rows, each line ending in "\n"). Rejects with the server's error; the client stays usable.
 */
export function copyFrom(client: pg.ClientBase, sql: string, chunks: readonly Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const submittable = {
      submit: (connection: CopyConnection) => connection.query(sql),
      handleCopyInResponse: (connection: CopyConnection) => {
        for (const chunk of chunks) connection.sendCopyFromChunk(chunk);
        connection.endCopyFrom();
      },
      handleCommandComplete: () => {},
      // Settle here, not in handleReadyForQuery: pg forgets the active query before calling
      // handleError, so a failed COPY never gets its ReadyForQuery (it went unanswered forever and
      // held its connection and write slot). The connection itself stays usable: pg queues the
      // caller's next statement (ROLLBACK) until the server's ReadyForQuery arrives.
      handleError: (err: Error) => reject(err),
      handleReadyForQuery: () => resolve(),
    };
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}
