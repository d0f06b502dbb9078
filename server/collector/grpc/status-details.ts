/**
 * `grpc-status-details-bin` payload: a google.rpc.Status whose one detail is a
 * google.rpc.RetryInfo, which OTLP/gRPC senders (the OpenTelemetry Collector among them) read as
 * "retry after this delay". Written with protobufjs' Writer: four tiny messages do not justify
 * vendoring google/rpc/*.proto.
 */
import protobuf from "protobufjs";

const RETRY_INFO_TYPE_URL = "type.googleapis.com/google.rpc.RetryInfo";

/** Field tag: (number << 3) | wire type (0 = varint, 2 = length-delimited). */
const tag = (field: number, wireType: 0 | 2) => (field << 3) | wireType;

/** Encoded google.rpc.Status { code, message, details: [Any(RetryInfo { retry_delay })] }. */
export function retryInfoStatusDetails(code: number, message: string, retryDelaySeconds: number): Buffer {
  const duration = protobuf.Writer.create().uint32(tag(1, 0)).int64(retryDelaySeconds).finish(); // Duration.seconds
  const retryInfo = protobuf.Writer.create().uint32(tag(1, 2)).bytes(duration).finish(); // RetryInfo.retry_delay
  const any = protobuf.Writer.create()
    .uint32(tag(1, 2)).string(RETRY_INFO_TYPE_URL) // Any.type_url
    .uint32(tag(2, 2)).bytes(retryInfo) // Any.value
    .finish();
  const status = protobuf.Writer.create()
    .uint32(tag(1, 0)).int32(code) // Status.code
    .uint32(tag(2, 2)).string(message) // Status.message
    .uint32(tag(3, 2)).bytes(any) // Status.details
    .finish();
  return Buffer.from(status);
}
