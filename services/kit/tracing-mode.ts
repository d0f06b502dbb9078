/**
 * Whether this process traces at all. `OTEL_SDK_DISABLED=true` (the OpenTelemetry spec's switch)
 * turns tracing off entirely, not just the export: no import-in-the-middle hook, no SDK, no
 * instrumentation (http, undici, ioredis, Prisma), no bullmq-otel telemetry on queues and workers.
 * What is left in the code is `@opentelemetry/api` calls, which are no-ops without an SDK. This is
 * what `npm run bench:hybrid` compares against ("untraced").
 */
export const tracingEnabled = process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== "true";
