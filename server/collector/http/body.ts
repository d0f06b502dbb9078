/**
 * Reads a request body into memory with a hard size limit, applied to the bytes on the wire and
 * again to the gunzipped bytes (a small gzip bomb must not expand past the limit).
 */
import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { CollectorError } from "../otlp/errors.ts";

function tooLarge(limit: number): CollectorError {
  return new CollectorError("PAYLOAD_TOO_LARGE", `request body exceeds ${limit} bytes`);
}

function decodedStream(req: IncomingMessage): Readable {
  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return req;
  if (encoding === "gzip") return req.pipe(createGunzip());
  throw new CollectorError("UNSUPPORTED_MEDIA_TYPE", `unsupported Content-Encoding "${encoding}" (use gzip or none)`);
}

async function collect(source: Readable, req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  let size = 0;
  // Counts compressed bytes too, so a client cannot stream an endless gzip body.
  const countWire = (chunk: Buffer) => (wireBytes += chunk.length);
  if (source !== req) req.on("data", countWire);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit || wireBytes > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof CollectorError) throw err;
    throw new CollectorError("BAD_REQUEST", `cannot read body: ${(err as Error).message}`, { cause: err });
  } finally {
    req.off("data", countWire);
    if (source !== req) source.destroy();
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/**
 * Returns the (gunzipped) body. Throws CollectorError PAYLOAD_TOO_LARGE above `limit` bytes,
 * UNSUPPORTED_MEDIA_TYPE for encodings other than gzip/identity, BAD_REQUEST for broken gzip.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  return collect(decodedStream(req), req, limit);
}
