/**
 * OTLP/gRPC ingest: `opentelemetry.proto.collector.trace.v1.TraceService/Export` on its own
 * HTTP/2 port (default 4317). The request bytes go, undecoded by grpc-js, to the same
 * `ingestExport` as OTLP/HTTP protobuf, so both transports store exactly the same spans.
 * grpc-js itself inflates `grpc-encoding: gzip` (and deflate) messages and refuses messages
 * above `grpc.max_receive_message_length` - compressed or inflated - with RESOURCE_EXHAUSTED.
 * No Host allow-list here (unlike HTTP): browsers cannot speak cleartext HTTP/2, so a DNS
 * rebinding page cannot reach this port.
 */
import * as grpc from "@grpc/grpc-js";
import { CollectorError } from "../otlp/errors.ts";
import { ingestExport, type ExportOutcome, type StoreSpans, type StoredExport } from "../otlp/ingest.ts";
import { ExportTraceServiceResponse } from "../otlp/proto.ts";
import { BatcherFullError } from "../../store/batcher.ts";
import { retryInfoStatusDetails } from "./status-details.ts";

/** What the gRPC service needs from the rest of the collector. */
export type GrpcIngestDeps = {
  /** Largest accepted message, compressed or not (the HTTP path's BODY_LIMIT_BYTES). */
  maxMessageBytes: number;
  storeSpans: StoreSpans;
  /** Told of each stored export (forwarding); optional. */
  onStored?: (stored: StoredExport) => void;
  logError: (message: string, err: unknown) => void;
};

/** The OTLP/gRPC endpoint of a collector. */
export type GrpcIngest = {
  /** Binds HOST:PORT (0 = random) and resolves with the bound port. */
  listen: (host: string, port: number) => Promise<number>;
  /** Bound port, or null before `listen`. */
  port: () => number | null;
  /** Refuses new calls, lets in-flight exports finish, cancels what is left after `graceMs`. */
  close: (graceMs: number) => Promise<void>;
};

const EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
const RETRY_DELAY_SECONDS = 2;

/** Hand-written service definition: bytes in, bytes out; decoding stays in otlp/decode-proto.ts. */
const TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

function encodeResponse({ rejected, errorMessage }: ExportOutcome): Buffer {
  const partial = rejected > 0 || errorMessage !== "";
  const message = partial ? { partialSuccess: { rejectedSpans: rejected, errorMessage } } : {};
  return Buffer.from(ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create(message)).finish());
}

function grpcError(code: grpc.status, details: string, metadata?: grpc.Metadata): grpc.ServerErrorResponse {
  return Object.assign(new Error(details), { code, details, ...(metadata ? { metadata } : {}) });
}

/** Retryable per OTLP: UNAVAILABLE with a RetryInfo, like HTTP's 503 + Retry-After. */
function unavailable(details: string): grpc.ServerErrorResponse {
  const metadata = new grpc.Metadata();
  metadata.set("grpc-status-details-bin", retryInfoStatusDetails(grpc.status.UNAVAILABLE, details, RETRY_DELAY_SECONDS));
  return grpcError(grpc.status.UNAVAILABLE, details, metadata);
}

/** Maps an ingest failure to its OTLP/gRPC status; the database's own text only goes to the log. */
function toGrpcError(err: unknown, logError: GrpcIngestDeps["logError"]): grpc.ServerErrorResponse {
  if (err instanceof CollectorError) {
    const code = err.code === "PAYLOAD_TOO_LARGE" ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.INVALID_ARGUMENT;
    return grpcError(code, err.message);
  }
  if (err instanceof BatcherFullError) return unavailable(err.message);
  logError("storing spans failed (gRPC)", err);
  return unavailable("span store unavailable, retry later");
}

/** Builds (but does not bind) the OTLP/gRPC trace endpoint. */
export function createGrpcIngest(deps: GrpcIngestDeps): GrpcIngest {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": deps.maxMessageBytes,
  });
  const exportTraces: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    ingestExport("protobuf", call.request, deps.storeSpans, deps.onStored).then(
      (outcome) => callback(null, encodeResponse(outcome)),
      (err: unknown) => callback(toGrpcError(err, deps.logError)),
    );
  };
  server.addService(TRACE_SERVICE, { Export: exportTraces });
  let boundPort: number | null = null;

  const listen = (host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      // IPv6 literals need brackets in a gRPC target.
      const target = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
      server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err) return reject(err);
        boundPort = bound;
        resolve(bound);
      });
    });

  const close = (graceMs: number) =>
    new Promise<void>((resolve) => {
      const force = setTimeout(() => server.forceShutdown(), graceMs);
      force.unref();
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });

  return { listen, port: () => boundPort, close };
}
