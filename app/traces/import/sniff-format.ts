/**
 * A first guess at a trace file's format from its opening characters, to show while choosing
 * (the server detects it again from the parsed file, and that answer is the one that counts).
 */
export type SniffedFormat = "otlp-json" | "jaeger-json" | null;

const OTLP = /"resource_?[sS]pans"\s*:/;
const JAEGER = /"(traceID|spanID|operationName|processID|processes)"\s*:/;

/** "otlp-json", "jaeger-json" or null (not recognisable yet) from the start of the text. */
export function sniffFormat(head: string): SniffedFormat {
  if (OTLP.test(head)) return "otlp-json";
  if (JAEGER.test(head)) return "jaeger-json";
  return null;
}
