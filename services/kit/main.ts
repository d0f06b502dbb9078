import { register } from "node:module";
import { processInstanceId } from "./discovery/identity.ts";
import { installSignalHandlers, onShutdown, shutdown } from "../shared/shutdown.ts";
import { tracingEnabled } from "./tracing-mode.ts";

/**
 * Boots a service process: ESM instrumentation hook first, then the OpenTelemetry SDK, then the
 * service itself (`entryUrl`, imported dynamically so every instrumented module — http, ioredis,
 * bullmq, prisma — loads after the SDK has patched it). With tracing off (tracing-mode.ts) none
 * of the first two is loaded.
 */
export async function bootService(options: { serviceName: string; tracesUrl: string; entryUrl: URL }): Promise<void> {
  const instanceId = processInstanceId(options.serviceName);
  if (tracingEnabled) {
    // import-in-the-middle: lets the instrumentations patch modules loaded through `import`.
    register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
    const { startTelemetry } = await import("./telemetry.ts");
    const sdk = startTelemetry({ serviceName: options.serviceName, tracesUrl: options.tracesUrl, instanceId });
    onShutdown("telemetry", () => sdk.shutdown(), { final: true });
  }
  installSignalHandlers();
  // Imported after the SDK for the same reason as the entry: the agent loads ioredis.
  const { startChaosAgentFromEnv } = await import("./chaos/agent.ts");
  await startChaosAgentFromEnv(options.serviceName);
  // Discovery: resolve other services by name from the first call; deregister before anything
  // else closes (this step is registered before the service's own), register once it listens.
  const { startDiscovery } = await import("./discovery/index.ts");
  const discovery = await startDiscovery(options.serviceName);
  onShutdown("discovery registration", () => discovery.deregister());
  onShutdown("discovery", () => discovery.close(), { final: true });
  try {
    await import(options.entryUrl.href);
    await discovery.register();
  } catch (error) {
    console.error(`${options.serviceName} failed to start:`, error);
    await shutdown(1);
  }
}
