/**
 * Ingest benchmark: `node --import tsx bench/ingest.ts [--spans 300000] [--senders 4]
 * [--batches 512,8192,50000]`. Starts the collector as a child against its own database
 * (switchyard_bench_ingest); for each export size, pushes OTLP protobuf requests of that many spans from
 * concurrent senders, counts the rows actually stored and the answer times (p50/p99), then writes
 * the same spans with a bare COPY for comparison. Prints figures; asserts nothing. The last line
 * is machine-readable: `ingest: <size>=<spans/s>/<ratio to COPY> ... p99_512_ms=<ms>`.
 * Extra collector settings (BATCH_MAX_SPANS, DB_POOL_SIZE, ...) pass through from the env;
 * BENCH_CPU_PROF=1 writes a CPU profile of the collector into bench/profiles/.
 * Requests are encoded before timing starts. CPU split = CPU seconds used during the timed send
 * by the collector, by every postgres process (other work on the machine included) and by this
 * process (the senders).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { makeRequest } from "./span-gen.ts";
import { decodeProtobufRequest } from "../server/collector/otlp/decode-proto.ts";
import { copyFrom } from "../server/store/copy-in.ts";
import { SPAN_COPY_COLUMNS, encodeSpanRows } from "../server/store/copy-rows.ts";

const { values: args } = parseArgs({
  options: {
    spans: { type: "string", default: "300000" },
    senders: { type: "string", default: "4" },
    port: { type: "string", default: "4518" },
    batches: { type: "string", default: "512,8192,50000" },
  },
});
const SPANS = Number(args.spans);
const BATCH_SIZES = args.batches.split(",").map((b) => Math.ceil(Number(b) / 8) * 8);
const SENDERS = Number(args.senders);
const PORT = Number(args.port);
const DB_NAME = "switchyard_bench_ingest";
const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
const DATABASE_URL = `postgresql://postgres@127.0.0.1:5432/${DB_NAME}`;
const BASE = `http://127.0.0.1:${PORT}`;

async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client(ADMIN_URL);
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  // Prisma's CLI applies the project's migrations (needs its schema engine available).
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL }, stdio: "ignore" });
}

function startCollector(): ChildProcess {
  const prof = process.env.BENCH_CPU_PROF === "1" ? ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] : [];
  return spawn(process.execPath, [...prof, "--import", "tsx", "server/collector/main.ts"], {
    env: { ...process.env, PORT: String(PORT), DATABASE_URL, SPAN_RETENTION_MAX_SPANS: "1000000000" },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function waitHealthy(deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const ok = await fetch(`${BASE}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("collector did not become healthy");
}

type SendResult = { seconds: number; retries: number; answerMs: number[] };

async function send(requests: Uint8Array<ArrayBuffer>[]): Promise<SendResult> {
  let next = 0;
  let retries = 0;
  const answerMs: number[] = [];
  const sender = async () => {
    while (next < requests.length) {
      const body = requests[next++]!;
      const started = performance.now();
      for (;;) {
        const res = await fetch(`${BASE}/v1/traces`, { method: "POST", body, headers: { "content-type": "application/x-protobuf" } }).catch((e: Error) => e);
        if (res instanceof Error) {
          // A keep-alive socket closed under us: retry, as OTLP exporters do.
          retries++;
          continue;
        }
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (res.status !== 503 && res.status !== 429) throw new Error(`collector answered ${res.status}`);
        retries++;
        await new Promise((r) => setTimeout(r, 50));
      }
      answerMs.push(performance.now() - started);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return { seconds: (performance.now() - t0) / 1000, retries, answerMs };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** CPU seconds (user + system) of one process, from /proc (0 once it is gone). */
function cpuSeconds(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** CPU seconds of every running postgres process (the server, backends, WAL writer, ...). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") total += cpuSeconds(pid);
    } catch { /* process ended meanwhile */ }
  }
  return total;
}

/** COPY of the same spans straight into telemetry.spans (+ their resources), timed from encoding on. */
async function bareCopy(pool: pg.Pool, requests: Uint8Array[]): Promise<number> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = requests.flatMap((r) => decodeProtobufRequest(r, now).spans);
  await pool.query("TRUNCATE telemetry.spans, telemetry.traces, telemetry.resources");
  const client = await pool.connect();
  const t0 = performance.now();
  const rows = encodeSpanRows(spans);
  await client.query("INSERT INTO telemetry.resources SELECT * FROM unnest($1::int8[], $2::jsonb[]) ON CONFLICT DO NOTHING",
    [rows.resourceIds, rows.resourceJson]);
  await copyFrom(client, `COPY telemetry.spans (${SPAN_COPY_COLUMNS}) FROM STDIN`, rows.chunks);
  const seconds = (performance.now() - t0) / 1000;
  client.release();
  const { rows: count } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM telemetry.spans");
  if (count[0]!.n !== spans.length) throw new Error(`COPY stored ${count[0]!.n} of ${spans.length}`);
  return spans.length / seconds;
}

/** One export size: the collector's rate, answer times and CPU, then a bare COPY of the same spans. */
async function runSize(pool: pg.Pool, child: ChildProcess, batch: number): Promise<{ rate: number; ratio: number; p99: number }> {
  await pool.query("TRUNCATE telemetry.spans, telemetry.traces, telemetry.resources");
  const count = Math.max(SENDERS, Math.ceil(SPANS / batch));
  const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
  // Copied into plain ArrayBuffer-backed arrays, the type fetch() accepts as a body.
  const requests = Array.from({ length: count }, (_, i) => new Uint8Array(makeRequest(batch, startNs + BigInt(i) * 1_000_000_000n, i)));
  const mb = requests.reduce((n, r) => n + r.length, 0) / 1e6;
  console.log(`\nexports of ${batch} spans: ${count * batch} spans in ${count} requests (${mb.toFixed(1)} MB protobuf), ${SENDERS} senders`);
  const cpu0 = { collector: cpuSeconds(child.pid!), pg: postgresCpuSeconds(), bench: process.cpuUsage() };
  const { seconds, retries, answerMs } = await send(requests);
  const benchCpu = process.cpuUsage(cpu0.bench);
  const cpu = {
    collector: cpuSeconds(child.pid!) - cpu0.collector,
    pg: postgresCpuSeconds() - cpu0.pg,
    senders: (benchCpu.user + benchCpu.system) / 1e6,
  };
  const { rows } = await pool.query<{ n: number; t: number }>(
    "SELECT (SELECT count(*) FROM telemetry.spans)::int AS n, (SELECT count(*) FROM telemetry.traces)::int AS t");
  const rate = rows[0]!.n / seconds;
  const p50 = percentile(answerMs, 50);
  const p99 = percentile(answerMs, 99);
  console.log(`collector: stored ${rows[0]!.n} spans / ${rows[0]!.t} traces in ${seconds.toFixed(2)} s = ${Math.round(rate)} spans/s (503 retries: ${retries})`);
  console.log(`answer time per export: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`);
  const pct = (s: number) => `${((100 * s) / seconds).toFixed(0)}%`;
  console.log(`CPU during send (% of one core): collector ${pct(cpu.collector)}, postgres ${pct(cpu.pg)}, senders ${pct(cpu.senders)}; load avg ${loadavg()[0]!.toFixed(1)}`);
  const copyRate = await bareCopy(pool, requests);
  const ratio = rate / copyRate;
  console.log(`bare COPY: ${Math.round(copyRate)} spans/s; ratio collector / COPY: ${ratio.toFixed(2)}`);
  return { rate, ratio, p99 };
}

async function main(): Promise<void> {
  await ensureDatabase();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const child = startCollector();
  const results: string[] = [];
  let p99of512 = NaN;
  try {
    await waitHealthy(20_000);
    for (const batch of BATCH_SIZES) {
      const { rate, ratio, p99 } = await runSize(pool, child, batch);
      results.push(`${batch}=${Math.round(rate)}/${ratio.toFixed(2)}`);
      if (batch === 512) p99of512 = p99;
    }
    console.log(`\ncollector peak RSS ${peakRssMb(child.pid!).toFixed(0)} MB`);
    console.log(`ingest: ${results.join(" ")} p99_512_ms=${Number.isNaN(p99of512) ? "n/a" : p99of512.toFixed(0)}`);
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await pool.end();
  }
}

await main();
