/**
 * Loads the vendored OpenTelemetry protocol definitions (server/collector/proto, Apache-2.0) once.
 * `loadSync` parses four small .proto files in a few milliseconds at start, so no generated
 * descriptor has to be kept in sync with them.
 */
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const PROTO_ROOT = fileURLToPath(new URL("../proto/", import.meta.url));
const SERVICE_FILE = "opentelemetry/proto/collector/trace/v1/trace_service.proto";

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // Imports in the .proto files are relative to the proto root, not to the importing file.
  root.resolvePath = (_origin, target) => PROTO_ROOT + target;
  root.loadSync(SERVICE_FILE, { keepCase: false });
  root.resolveAll();
  return root;
}

/** google.rpc.Status (code, message) without `details`: what OTLP wants in a 4xx/5xx body. */
function buildStatusType(): protobuf.Type {
  return new protobuf.Type("Status")
    .add(new protobuf.Field("code", 1, "int32"))
    .add(new protobuf.Field("message", 2, "string"));
}

const root = loadRoot();
const statusRoot = new protobuf.Root().define("google.rpc").add(buildStatusType());

/** `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`. */
export const ExportTraceServiceRequest = root.lookupType(
  "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
);
/** `opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse`. */
export const ExportTraceServiceResponse = root.lookupType(
  "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse",
);
/** `google.rpc.Status` subset used for error bodies. */
export const RpcStatus = statusRoot.lookupType("google.rpc.Status");
