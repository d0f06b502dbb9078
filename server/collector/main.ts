/**
 * Collector entry: `node --import tsx server/collector/main.ts`. OTLP/HTTP on HOST:PORT
 * (default 127.0.0.1:4318), OTLP/gRPC on HOST:GRPC_PORT (default 4317). Never starts OpenTelemetry: ingest must not trace itself.
 */
import { parseCollectorEnv } from "./env.ts";
import { createCollector } from "./app.ts";
import { installSignalHandlers, onShutdown } from "../../services/shared/shutdown.ts";

const env = parseCollectorEnv();
const collector = createCollector(env);

// Stops accepting, answers in-flight exports, flushes pending spans; a hung step (a database that
// never answers) cannot keep the process alive past the shutdown deadline (services/shared/shutdown.ts).
onShutdown("collector (flush pending spans, close the database)", () => collector.close());
installSignalHandlers();

try {
  const port = await collector.listen();
  console.log(`collector: listening on http://${env.HOST}:${port} (OTLP/HTTP POST /v1/traces) and ${env.HOST}:${collector.grpcPort()} (OTLP/gRPC)`);
} catch (err) {
  console.error(`collector: cannot listen on ${env.HOST}:${env.PORT}: ${(err as Error).message}`);
  process.exit(1);
}
