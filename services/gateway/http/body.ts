import type { IncomingMessage } from "node:http";
import { GatewayHttpError } from "./respond.ts";

/**
 * Reads a JSON body of at most `maxBytes`: a larger one is refused with 413 as soon as it is
 * known (by Content-Length, or while streaming) without buffering the rest; non-JSON is 415/400.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new GatewayHttpError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > maxBytes) throw new GatewayHttpError(413, "PAYLOAD_TOO_LARGE", `body over ${maxBytes} bytes`, undefined, { connection: "close" });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new GatewayHttpError(413, "PAYLOAD_TOO_LARGE", `body over ${maxBytes} bytes`, undefined, { connection: "close" });
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new GatewayHttpError(400, "BAD_JSON", "the body is not valid JSON");
  }
}
