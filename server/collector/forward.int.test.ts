/**
 * Forwarding (server/collector/forward/) between two real collectors: the local one (test
 * database) sends every stored span on to a second collector on another random port, with its own
 * database (`<test db>_remote`), standing in for Jaeger, Tempo or an OpenTelemetry Collector.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import * as grpc from "@grpc/grpc-js";
import { createCollector, type Collector } from "./app.ts";
import { CollectorEnvSchema } from "./env.ts";
import { ExportTraceServiceRequest } from "./otlp/proto.ts";
import { encodeJsonRequest, encodeProtobufRequest, hexId, type FixtureSpan } from "./otlp/testing/fixtures.ts";
import type { ForwardingStatus } from "./forward/index.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";
import { migrateDatabase, recreateDatabase } from "../../scripts/launcher/database.ts";
import { waitFor } from "../../tests/support/wait-for.ts";

const GRPC_EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
const LOCAL_DB = TEST_CONFIG.databaseUrl;
const REMOTE_DB = `${TEST_CONFIG.databaseUrl}_remote`;
const NOW = BigInt(Date.now()) * 1_000_000n;
const quiet = { info: () => {}, error: () => {} };
const started: Collector[] = [];
const children: ChildProcess[] = [];
let remoteDb: pg.Pool;

function startCollector(vars: Record<string, string>): Promise<{ collector: Collector; port: number }> {
  const env = CollectorEnvSchema.parse({
    PORT: "0", GRPC_PORT: "0", SWITCHYARD_JAEGER_QUERY_PORT: "off", BATCH_LINGER_MS: "2", RETENTION_INTERVAL_MS: "3600000", ...vars,
  });
  const collector = createCollector(env, quiet);
  started.push(collector);
  return collector.listen().then((port) => ({ collector, port }));
}

const startRemote = (port = 0) => startCollector({ DATABASE_URL: REMOTE_DB, PORT: String(port) });
const startLocal = (remoteUrl: string, vars: Record<string, string> = {}) =>
  startCollector({ DATABASE_URL: LOCAL_DB, SWITCHYARD_FORWARD_OTLP_URL: remoteUrl, SWITCHYARD_FORWARD_RETRY_MIN_MS: "50", SWITCHYARD_FORWARD_RETRY_MAX_MS: "500", ...vars });

async function stop(collector: Collector): Promise<void> {
  started.splice(started.indexOf(collector), 1);
  await collector.close();
}

function trace(n: number, extra: Partial<FixtureSpan> = {}): FixtureSpan[] {
  const traceId = hexId(16);
  const startNs = NOW - 5_000_000_000n;
  return Array.from({ length: n }, (_, i) => ({ traceId, spanId: hexId(8), name: `op-${i}`, startNs: startNs + BigInt(i), endNs: startNs + 1_000_000n, ...extra }));
}

async function post(port: number, spans: FixtureSpan[], format: "protobuf" | "json" = "protobuf"): Promise<number> {
  const body = format === "protobuf" ? encodeProtobufRequest("fwd-test", spans) : encodeJsonRequest("fwd-test", spans);
  const began = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": format === "protobuf" ? "application/x-protobuf" : "application/json" },
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  return performance.now() - began;
}

async function forwarding(port: number): Promise<ForwardingStatus> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return ((await res.json()) as { forwarding: ForwardingStatus }).forwarding;
}

async function remoteSpanCount(traceIds: string[]): Promise<number> {
  const { rows } = await remoteDb.query("SELECT count(*)::int AS n FROM telemetry.spans WHERE trace_id = ANY($1)", [traceIds]);
  return rows[0].n as number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The remote as a process of its own (server/collector/main.ts), as a real backend is: sharing
 * the test's event loop, its own ingest would slow the local collector's answers while it is up.
 */
async function spawnRemote(port: number): Promise<ChildProcess> {
  const env = { ...process.env, PORT: String(port), GRPC_PORT: "0", SWITCHYARD_JAEGER_QUERY_PORT: "off", DATABASE_URL: REMOTE_DB, SWITCHYARD_FORWARD_OTLP_URL: "" };
  const child = spawn(process.execPath, ["--import", "tsx", "server/collector/main.ts"], { env, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  await waitFor("the remote collector's health", () => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false), 60_000);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** A port nothing listens on (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A pass-through in front of the remote that counts, per span id, the spans of every export the
 * remote answered 200: the remote's store ignores duplicates, this does not.
 */
function countingProxy(targetPort: number): Promise<{ server: Server; port: number; deliveries: Map<string, number>; contentTypes: Set<string>; bodies: Buffer[] }> {
  const deliveries = new Map<string, number>();
  const contentTypes = new Set<string>();
  const bodies: Buffer[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    bodies.push(body);
    const type = req.headers["content-type"] ?? "";
    const upstream = request({ host: "127.0.0.1", port: targetPort, path: req.url, method: req.method, headers: req.headers }, (up) => {
      const answer: Buffer[] = [];
      up.on("data", (c: Buffer) => answer.push(c));
      up.on("end", () => {
        if (up.statusCode === 200) {
          contentTypes.add(type);
          for (const id of spanIdsOf(body, type)) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
        }
        res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(answer));
      });
    });
    upstream.on("error", () => res.writeHead(502).end());
    upstream.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port, deliveries, contentTypes, bodies })));
}

type OtlpShape = { resourceSpans?: { scopeSpans?: { spans?: { spanId: string | Uint8Array }[] }[] }[] };
function spanIdsOf(body: Buffer, contentType: string): string[] {
  const request = (contentType.includes("json") ? JSON.parse(body.toString("utf8")) : ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { bytes: String })) as OtlpShape;
  return (request.resourceSpans ?? []).flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => (s.spans ?? []).map((sp) =>
    typeof sp.spanId === "string" && contentType.includes("json") ? sp.spanId : Buffer.from(sp.spanId as string, "base64").toString("hex"))));
}

beforeAll(async () => {
  // The remote's own database, created and migrated here (a clean CI machine has none).
  await recreateDatabase(REMOTE_DB);
  await migrateDatabase(REMOTE_DB);
  remoteDb = new pg.Pool({ connectionString: REMOTE_DB, max: 2 });
  await remoteDb.query("TRUNCATE telemetry.spans, telemetry.traces");
});
afterEach(async () => {
  for (const c of started.splice(0)) await c.close();
  for (const child of children.splice(0)) await kill(child);
});
afterAll(async () => {
  await remoteDb?.end();
});

describe("forwarding to another OTLP endpoint", () => {
  it("delivers every stored span exactly once: raw protobuf and JSON as sent, partial or redacted exports as what was stored", async () => {
    const remote = await startRemote();
    const proxy = await countingProxy(remote.port);
    try {
      const local = await startLocal(`http://127.0.0.1:${proxy.port}/v1/traces`);
      const sent: FixtureSpan[] = [];
      for (let i = 0; i < 30; i++) {
        const spans = trace(10);
        sent.push(...spans);
        await post(local.port, spans, i % 3 === 0 ? "json" : "protobuf");
      }
      // One span the local store rejects (end before start): only its valid sibling may go on.
      const [valid, invalid] = trace(2);
      await post(local.port, [valid!, { ...invalid!, endNs: invalid!.startNs - 1n }]);
      sent.push(valid!);
      // A credential in a URL: the remote gets it redacted, as stored here.
      const [secret] = trace(1, { attributes: { "url.full": "https://shop.example/pay?token=s3cr3t&x=1" } });
      await post(local.port, [secret!], "protobuf");
      sent.push(secret!);

      await waitFor("every span at the remote", async () => (await forwarding(local.port)).forwardedSpans === sent.length && proxy.deliveries.size === sent.length, 30_000);
      expect([...proxy.deliveries.keys()].sort()).toEqual(sent.map((s) => s.spanId).sort());
      expect([...proxy.deliveries.values()].every((n) => n === 1)).toBe(true);
      expect(proxy.deliveries.has(invalid!.spanId)).toBe(false);
      expect(proxy.contentTypes).toEqual(new Set(["application/x-protobuf", "application/json"]));
      const traceIds = [...new Set(sent.map((s) => s.traceId))];
      await waitFor("the remote stored them", async () => (await remoteSpanCount(traceIds)) === sent.length, 30_000);
      const { rows } = await remoteDb.query("SELECT attributes->>'url.full' AS url FROM telemetry.spans WHERE span_id = $1", [secret!.spanId]);
      expect(rows[0].url).toBe("https://shop.example/pay?token=REDACTED&x=1");
      expect(proxy.bodies.some((b) => b.includes("s3cr3t"))).toBe(false); // redacted here, not left to the remote
      expect(await forwarding(local.port)).toMatchObject({ enabled: true, droppedSpans: 0, failedSpans: 0, bufferedSpans: 0 });
    } finally {
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });

  it("loses nothing within the buffer while the remote is down for 10 s, and local ingest is not slowed", async () => {
    const remotePort = await freePort();
    const remote = await spawnRemote(remotePort);
    const local = await startLocal(`http://127.0.0.1:${remotePort}/v1/traces`);
    const traceIds: string[] = [];
    const sendRound = async (n: number) => {
      const latencies: number[] = [];
      for (let i = 0; i < n; i++) {
        const spans = trace(20);
        traceIds.push(spans[0]!.traceId);
        latencies.push(await post(local.port, spans));
      }
      return latencies;
    };
    await sendRound(10); // warm-up: connections, JIT
    const up = median(await sendRound(60));
    await kill(remote);
    const downSince = Date.now();
    const down = median(await sendRound(60));
    const whileDown = await forwarding(local.port);
    expect(whileDown.retries).toBeGreaterThan(0);
    expect(whileDown.bufferedSpans).toBeGreaterThan(0);
    expect(whileDown.lastError).toMatch(/cannot reach the remote/);
    console.log(`forwarding: local ingest p50 ${up.toFixed(1)} ms with the remote up, ${down.toFixed(1)} ms with it down`);
    // Generous on a loaded 2-core box: a forwarder that waited for the remote would cost seconds, not milliseconds.
    expect(down).toBeLessThan(Math.max(5 * up, up + 25));
    expect(whileDown.droppedSpans).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - downSince))));
    await spawnRemote(remotePort);
    await waitFor("the buffered spans at the remote", async () => (await remoteSpanCount(traceIds)) === traceIds.length * 20, 30_000);
    expect(await forwarding(local.port)).toMatchObject({ droppedSpans: 0, failedSpans: 0, bufferedSpans: 0, forwardedSpans: traceIds.length * 20 });
  }, 90_000);

  it("drops the oldest exports when the buffer is full, and counts them", async () => {
    const port = await freePort();
    const local = await startLocal(`http://127.0.0.1:${port}/v1/traces`, { SWITCHYARD_FORWARD_BUFFER_SPANS: "100" });
    const traces = Array.from({ length: 10 }, () => trace(20));
    for (const spans of traces) await post(local.port, spans);
    await waitFor("the overflow counted", async () => (await forwarding(local.port)).droppedSpans === 100, 10_000);
    expect(await forwarding(local.port)).toMatchObject({ bufferedSpans: 100, forwardedSpans: 0 });

    await startRemote(port);
    await waitFor("the kept spans forwarded", async () => (await forwarding(local.port)).forwardedSpans === 100, 30_000);
    const ids = (t: FixtureSpan[][]) => t.map((spans) => spans[0]!.traceId);
    expect(await remoteSpanCount(ids(traces.slice(5)))).toBe(100); // the newest five
    expect(await remoteSpanCount(ids(traces.slice(0, 5)))).toBe(0); // the oldest five were dropped
    expect(await forwarding(local.port)).toMatchObject({ droppedSpans: 100, bufferedSpans: 0 });
  }, 60_000);

  it("forwards what arrived over OTLP/gRPC too (as protobuf)", async () => {
    const remote = await startRemote();
    const local = await startLocal(`http://127.0.0.1:${remote.port}/v1/traces`);
    const spans = trace(5);
    const client = new grpc.Client(`127.0.0.1:${local.collector.grpcPort()}`, grpc.credentials.createInsecure());
    try {
      const body = Buffer.from(encodeProtobufRequest("fwd-grpc", spans));
      await new Promise<void>((resolve, reject) =>
        client.makeUnaryRequest(GRPC_EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, body, (err) => (err ? reject(err) : resolve())),
      );
    } finally {
      client.close();
    }
    await waitFor("the gRPC export at the remote", async () => (await remoteSpanCount([spans[0]!.traceId])) === 5, 30_000);
    expect(await forwarding(local.port)).toMatchObject({ forwardedSpans: 5, droppedSpans: 0, failedSpans: 0 });
  });

  it("is off without SWITCHYARD_FORWARD_OTLP_URL, and says so in /health", async () => {
    const local = await startCollector({ DATABASE_URL: LOCAL_DB });
    expect(await forwarding(local.port)).toEqual({ enabled: false });
  });
});
