/** Errors of the OTLP endpoint, each mapped to one HTTP status in `http/routes.ts`. */

/** Codes the collector answers with; the HTTP status is fixed per code. */
export const COLLECTOR_ERROR_STATUS = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
} as const;
export type CollectorErrorCode = keyof typeof COLLECTOR_ERROR_STATUS;

/** The one error type the collector throws on purpose; anything else is a 500. */
export class CollectorError extends Error {
  readonly code: CollectorErrorCode;
  constructor(code: CollectorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CollectorError";
    this.code = code;
  }
  /** HTTP status for this error. */
  get status(): number {
    return COLLECTOR_ERROR_STATUS[this.code];
  }
}
