/**
 * Response encoders. OTLP answers use the request's format (protobuf or JSON); error bodies are
 * google.rpc.Status as the OTLP/HTTP spec asks. The trace API answers JSON.
 */
import type { ServerResponse } from "node:http";
import { ExportTraceServiceResponse, RpcStatus } from "../otlp/proto.ts";
import type { CollectorErrorCode } from "../otlp/errors.ts";

/** Wire format of an OTLP request, and so of its response. */
export type OtlpFormat = "protobuf" | "json";

const CONTENT_TYPE: Record<OtlpFormat, string> = { protobuf: "application/x-protobuf", json: "application/json" };

/** google.rpc.Code per collector error. */
const RPC_CODE: Record<CollectorErrorCode, number> = {
  BAD_REQUEST: 3, // INVALID_ARGUMENT
  NOT_FOUND: 5,
  METHOD_NOT_ALLOWED: 12, // UNIMPLEMENTED
  PAYLOAD_TOO_LARGE: 8, // RESOURCE_EXHAUSTED
  UNSUPPORTED_MEDIA_TYPE: 3,
  UNAVAILABLE: 14,
};

function send(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** 200 ExportTraceServiceResponse, with partial_success when spans were rejected. */
export function sendExportOk(res: ServerResponse, format: OtlpFormat, rejected: number, errorMessage: string): void {
  const partial = rejected > 0 || errorMessage !== "";
  if (format === "json") {
    const body = partial ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage } } : {};
    send(res, 200, CONTENT_TYPE.json, JSON.stringify(body));
    return;
  }
  const message = partial ? { partialSuccess: { rejectedSpans: rejected, errorMessage } } : {};
  send(res, 200, CONTENT_TYPE.protobuf, ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create(message)).finish());
}

/** OTLP error answer: google.rpc.Status in the request's format. */
export function sendOtlpError(
  res: ServerResponse,
  format: OtlpFormat,
  status: number,
  code: CollectorErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  const rpc = { code: RPC_CODE[code], message };
  if (format === "json") return send(res, status, CONTENT_TYPE.json, JSON.stringify(rpc), headers);
  send(res, status, CONTENT_TYPE.protobuf, RpcStatus.encode(RpcStatus.create(rpc)).finish(), headers);
}

/** Plain JSON answer for the non-OTLP routes. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);
}
