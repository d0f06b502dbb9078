/**
 * Collector entry: `node --import tsx server/collector/main.ts`. OTLP/HTTP on HOST:PORT
 * (default 127.0.0.1:4318). Never starts OpenTelemetry: ingest must not trace itself.
 */
import { parseCollectorEnv } from "./env.ts";
import { createCollector } from "./app.ts";

const env = parseCollectorEnv();
const collector = createCollector(env);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`collector: ${signal} received, flushing and stopping`);
  try {
    await collector.close();
    process.exit(0);
  } catch (err) {
    console.error("collector: shutdown failed", err);
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

try {
  const port = await collector.listen();
  console.log(`collector: listening on http://${env.HOST}:${port} (OTLP/HTTP POST /v1/traces)`);
} catch (err) {
  console.error(`collector: cannot listen on ${env.HOST}:${env.PORT}: ${(err as Error).message}`);
  process.exit(1);
}
