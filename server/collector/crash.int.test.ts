/**
 * "200 means committed" under crashes (issue 9): a collector SIGKILLed during a stream of exports
 * from the real OpenTelemetry SDK exporter loses nothing the exporter saw acknowledged; a
 * collector whose database connections are all killed under load recovers on its own.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import pg from "pg";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ExportResultCode } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { createCollector } from "./app.ts";
import { CollectorEnvSchema } from "./env.ts";
import { encodeProtobufRequest, hexId, type FixtureSpan } from "./otlp/testing/fixtures.ts";
import { waitFor } from "../../tests/support/wait-for.ts";

const PORT = TEST_CONFIG.ports.collector + 50;
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

function startCollectorProcess(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "server/collector/main.ts"], {
    env: { ...process.env, PORT: String(PORT), DATABASE_URL: TEST_CONFIG.databaseUrl, RETENTION_INTERVAL_MS: "3600000" },
    stdio: "ignore",
  });
  children.push(child);
  return child;
}

async function waitHealthy(): Promise<void> {
  const isHealthy = () => fetch(`http://127.0.0.1:${PORT}/health`).then((r) => r.ok, () => false);
  await waitFor("the collector to be healthy", isHealthy, { timeoutMs: 30_000, intervalMs: 100 });
}

/** `count` real SDK spans (one trace per 10), ready to export. */
function recordSpans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "crash-probe" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("crash-probe");
  for (let i = 0; i < count; i++) tracer.startSpan(`op-${i % 10}`, { attributes: { "app.i": i } }).end();
  return memory.getFinishedSpans();
}

describe("crash safety", () => {
  it("SIGKILL during a stream of SDK exports: every span the exporter saw acknowledged is stored", { timeout: 90_000 }, async () => {
    const collector = startCollectorProcess();
    await waitHealthy();
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${PORT}/v1/traces`, timeoutMillis: 3_000 });
    const spans = recordSpans(20_000);
    const acknowledged: ReadableSpan[] = [];
    let next = 0;
    let killed = false;
    let stop = false;
    const exportOne = (batch: ReadableSpan[]) =>
      new Promise<boolean>((resolve) => exporter.export(batch, (r) => resolve(r.code === ExportResultCode.SUCCESS)));
    const sender = async () => {
      while (next < spans.length && !stop) {
        const batch = spans.slice(next, next + 200);
        next += 200;
        if (await exportOne(batch)) acknowledged.push(...batch);
      }
    };
    const senders = Promise.all(Array.from({ length: 4 }, sender));
    // Kill in the middle of the stream, with exports in flight.
    while (acknowledged.length < 4_000) await new Promise((r) => setTimeout(r, 5));
    collector.kill("SIGKILL");
    killed = true;
    await once(collector, "exit");
    // The exports in flight at the kill end (failed, or acknowledged just before it); no new ones.
    stop = true;
    await senders;
    await exporter.shutdown();
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(4_000);
    expect(acknowledged.length).toBeLessThan(spans.length);

    const client = new pg.Client(TEST_CONFIG.databaseUrl);
    await client.connect();
    try {
      const ids = acknowledged.map((s) => s.spanContext().spanId);
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM telemetry.spans WHERE span_id = ANY($1::text[])",
        [ids],
      );
      expect(rows[0]!.n).toBe(ids.length);
    } finally {
      await client.end();
    }
  });

  it("recovers on its own when the database drops every connection under load", { timeout: 60_000 }, async () => {
    const env = CollectorEnvSchema.parse({ PORT: "0", DATABASE_URL: TEST_CONFIG.databaseUrl, RETENTION_INTERVAL_MS: "3600000" });
    const collector = createCollector(env, { info: () => {}, error: () => {} });
    const base = `http://127.0.0.1:${await collector.listen()}`;
    const admin = new pg.Client(TEST_CONFIG.databaseUrl);
    await admin.connect();
    try {
      const traceSpans = (): FixtureSpan[] => {
        const now = BigInt(Date.now()) * 1_000_000n;
        const traceId = hexId(16);
        return Array.from({ length: 100 }, () => ({ traceId, spanId: hexId(8), name: "op", startNs: now - 1_000_000n, endNs: now }));
      };
      const post = (spans: FixtureSpan[]) =>
        fetch(`${base}/v1/traces`, { method: "POST", body: new Uint8Array(encodeProtobufRequest("db-drop", spans)), headers: { "content-type": "application/x-protobuf" }, signal: AbortSignal.timeout(10_000) });
      const statuses: number[] = [];
      let stop = false;
      const load = (async () => {
        while (!stop) statuses.push((await post(traceSpans())).status);
      })();
      await new Promise((r) => setTimeout(r, 300));
      // What a PostgreSQL restart does to the collector's connections.
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchyard-collector'");
      await new Promise((r) => setTimeout(r, 500));
      stop = true;
      await load;
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      // Afterwards every export is stored again, without a restart.
      for (let i = 0; i < 5; i++) {
        const spans = traceSpans();
        expect((await post(spans)).status).toBe(200);
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM telemetry.spans WHERE trace_id = $1", [spans[0]!.traceId]);
        expect(rows[0].n).toBe(100);
      }
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      await admin.end();
      await collector.close();
    }
  });
});
