import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { AppError, errorTable, type ErrorCode, type GatewayError } from "../../contracts/index.ts";

/** An answer the gateway gives itself (auth, limits, validation), with a stable error code. */
export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GatewayHttpError";
  }
}

/** How an upstream service's AppError code reads at the edge: the `http` of contracts' ERROR_CODES. */
export const STATUS_BY_APP_CODE: Readonly<Record<ErrorCode, number>> = errorTable("http");

/**
 * Turns anything a handler threw into the answer to send. Unknown errors (500) and upstream
 * INTERNAL ones (502) answer only `internal error (ref <id>)`: their text may hold SQL or server
 * paths. The full error is logged with the same ref.
 */
export function toHttpError(error: unknown): GatewayHttpError {
  if (error instanceof GatewayHttpError) return error;
  if (error instanceof AppError && error.code !== "INTERNAL") return new GatewayHttpError(STATUS_BY_APP_CODE[error.code], error.code, error.message);
  const ref = randomBytes(4).toString("hex");
  console.error(`gateway: internal error (ref ${ref}):`, error);
  return new GatewayHttpError(error instanceof AppError ? STATUS_BY_APP_CODE.INTERNAL : 500, "INTERNAL", `internal error (ref ${ref})`);
}

/** Sends `body` as JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends an error in the one error shape of the API. */
export function sendError(res: ServerResponse, error: GatewayHttpError): void {
  const body: GatewayError = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
  sendJson(res, error.status, body, error.headers);
}
