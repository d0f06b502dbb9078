// The "service" of boot-probe.ts: prints one JSON line with what tracing left in this process.
import { createRequire } from "node:module";
import { trace } from "@opentelemetry/api";

const loaded = Object.keys(createRequire(import.meta.url).cache);
const span = trace.getTracer("probe").startSpan("probe");
console.log(JSON.stringify({
  sdk: loaded.some((file) => file.includes("/@opentelemetry/sdk-trace-base/")),
  instrumentations: loaded.some((file) => /\/(@opentelemetry\/instrumentation-[^/]+|@prisma\/instrumentation|import-in-the-middle)\//.test(file)),
  recording: span.isRecording(),
}));
span.end();
process.exit(0);
