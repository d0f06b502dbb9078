/**
 * Seeded fuzz test of the OTLP endpoint (issue 9): 10,000 mutated OTLP bodies, protobuf and JSON
 * (flipped bytes, truncations, wrong types, huge and negative numbers, deep nesting, odd Unicode,
 * gzip). Every request is answered within 2 s with 200/400/413/415/429/503, the collector stays up,
 * and every span it acknowledged is stored and returned by the trace API.
 * The oracle for "acknowledged" is the collector's own decoder run on the same bytes: a 200 answer
 * acknowledges every span the decoder accepted, minus the ones partial_success names as refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { createCollector, type Collector } from "./app.ts";
import { CollectorEnvSchema } from "./env.ts";
import { decodeProtobufRequest } from "./otlp/decode-proto.ts";
import { decodeJsonRequest } from "./otlp/decode-json.ts";
import { ExportTraceServiceResponse } from "./otlp/proto.ts";
import { encodeJsonRequest, encodeProtobufRequest, type FixtureSpan } from "./otlp/testing/fixtures.ts";
import { StoredSpanSchema } from "../store/types.ts";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

const REQUESTS = 10_000;
const CONCURRENCY = 8;
const ANSWER_DEADLINE_MS = 2_000;
const ALLOWED = new Set([200, 400, 413, 415, 429, 503]);
const NOW = BigInt(Date.now()) * 1_000_000n;

/** mulberry32: a tiny seeded PRNG, so a failure reproduces with the same seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = 20261203;
const rand = prng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
const hex = (bytes: number) => Array.from({ length: bytes * 2 }, () => "0123456789abcdef"[int(16)]).join("");

const ODD_STRINGS = ["\ud800", "\udfff tail", "a\u0000b", "\u202e\u2066rtl", "\ud83d\ude00", "\u2028\u2029", "\\u0000", "'; DROP TABLE x; --", "é".repeat(300), "\uffff\ufffe"];
const ODD_NUMBERS: unknown[] = [-5, -1, 0, 1e308, -1e308, 2 ** 64, "99999999999999999999", "-9223372036854775809", "18446744073709551615", 1.5, "NaN", "1e25"];
const WRONG_TYPES: unknown[] = [null, true, 42, "text", [], {}, [1, "a"], { stringValue: 1 }];

function baseSpans(): FixtureSpan[] {
  const traceId = hex(16);
  const start = NOW - BigInt(int(3_600_000)) * 1_000_000n;
  const rootId = hex(8);
  return Array.from({ length: 1 + int(3) }, (_, i) => ({
    traceId, spanId: i === 0 ? rootId : hex(8), parentSpanId: i === 0 ? undefined : rootId, name: `op-${int(5)}`,
    kind: int(6), startNs: start, endNs: start + BigInt(int(1_000_000_000)), statusCode: int(3),
    attributes: { "app.n": int(100), "app.s": pick(ODD_STRINGS), "app.b": rand() < 0.5, "url.query": "api_key=sy_fuzz&x=1" },
  }));
}

/**
 * A placeholder for an AnyValue nested `depth` levels deep; {@link expandNested} writes it as text
 * (JSON.stringify itself recurses and would overflow the test's own stack).
 */
function nested(depth: number): string {
  return `__DEEP_${depth}_${int(2)}__`;
}

function expandNested(text: string): string {
  return text.replace(/"__DEEP_(\d+)_(\d)__"/g, (_m, depth: string, kind: string) => {
    const [open, close] = kind === "0" ? ['{"arrayValue":{"values":[', "]}}"] : ['{"kvlistValue":{"values":[{"key":"k","value":', "}]}}"];
    return open.repeat(Number(depth)) + '{"stringValue":"bottom"}' + close.repeat(Number(depth));
  });
}

/** Walks to a random object/array inside `root` and breaks one of its fields. */
function mutateJsonValue(root: unknown): void {
  let node = root as Record<string, unknown>;
  for (let steps = int(8); steps > 0; steps--) {
    const keys = Object.keys(node).filter((k) => node[k] !== null && typeof node[k] === "object");
    if (keys.length === 0) break;
    node = node[pick(keys)] as Record<string, unknown>;
  }
  const keys = Object.keys(node);
  const key = keys.length > 0 && rand() < 0.8 ? pick(keys) : pick(["traceId", "startTimeUnixNano", "value", "events", "timeUnixNano", "trace_id"]);
  switch (int(5)) {
    case 0: node[key] = structuredClone(pick(WRONG_TYPES)); break;
    case 1: node[key] = pick(ODD_NUMBERS); break;
    case 2: node[key] = pick(ODD_STRINGS); break;
    case 3: node[key] = nested(pick([3, 40, 200, 3_000])); break;
    default: delete node[key];
  }
}

function mutateBytes(bytes: Uint8Array): Uint8Array {
  const out = Buffer.from(bytes);
  switch (int(4)) {
    case 0: for (let i = 1 + int(4); i > 0; i--) { const at = int(out.length); out[at] = out[at]! ^ (1 << int(8)); } return out;
    case 1: return out.subarray(0, int(out.length));
    case 2: { const at = int(out.length); return Buffer.concat([out.subarray(0, at), Buffer.from(hex(1 + int(8)), "hex"), out.subarray(at)]); }
    default: { const at = int(out.length); return Buffer.concat([out.subarray(0, at), out.subarray(int(out.length))]); }
  }
}

type Case = { body: Uint8Array; contentType: string; gzip: boolean };

function nextCase(): Case {
  const spans = baseSpans();
  const gzip = rand() < 0.15;
  let body: Uint8Array;
  let contentType = "application/x-protobuf";
  if (rand() < 0.5) {
    const clean = encodeProtobufRequest(`svc-${int(4)}`, spans);
    body = rand() < 0.85 ? mutateBytes(clean) : clean;
  } else {
    contentType = "application/json";
    const json = JSON.parse(encodeJsonRequest(`svc-${int(4)}`, spans)) as unknown;
    for (let i = int(3); i >= 0; i--) mutateJsonValue(json);
    let text = expandNested(JSON.stringify(json));
    if (rand() < 0.2) text = text.slice(0, int(text.length)); // truncated JSON
    body = Buffer.from(text);
  }
  if (rand() < 0.03) contentType = pick(["text/plain", "application/x-protobuf; charset=utf-8", "application/JSON"]);
  if (rand() < 0.02) body = Buffer.alloc(70_000, 7); // over the body limit
  return { body: gzip ? (rand() < 0.2 ? mutateBytes(gzipSync(body)) : gzipSync(body)) : body, contentType, gzip };
}

/** Spans the collector's decoder accepts in `c` (the acknowledgement oracle), as "trace/span" keys. */
function oracle(c: Case, raw: Uint8Array): string[] {
  try {
    const result = c.contentType.startsWith("application/x-protobuf") ? decodeProtobufRequest(raw, NOW) : decodeJsonRequest(Buffer.from(raw), NOW);
    return result.spans.map((s) => `${s.traceId}/${s.spanId}`);
  } catch {
    return [];
  }
}

let collector: Collector;
let base: string;

beforeAll(async () => {
  const env = CollectorEnvSchema.parse({ PORT: "0", DATABASE_URL: TEST_CONFIG.databaseUrl, BODY_LIMIT_BYTES: "65536", RETENTION_INTERVAL_MS: "3600000" });
  collector = createCollector(env, { info: () => {}, error: () => {} });
  base = `http://127.0.0.1:${await collector.listen()}`;
});
afterAll(async () => {
  await collector?.close();
});

describe(`fuzz: ${REQUESTS} mutated OTLP bodies (seed ${SEED})`, () => {
  it("answers every one in time with an OTLP status, stays up, and stores everything it acknowledged", { timeout: 300_000 }, async () => {
    const acknowledged = new Set<string>();
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const index = next++;
        const c = nextCase();
        const started = performance.now();
        const headers: Record<string, string> = { "content-type": c.contentType };
        if (c.gzip) headers["content-encoding"] = "gzip";
        const res = await fetch(`${base}/v1/traces`, { method: "POST", body: new Uint8Array(c.body), headers, signal: AbortSignal.timeout(10_000) }).catch((e: Error) => e);
        if (res instanceof Error) { problems.push(`#${index}: no answer (${res.message})`); continue; }
        const answer = new Uint8Array(await res.arrayBuffer());
        const ms = performance.now() - started;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (!ALLOWED.has(res.status)) problems.push(`#${index}: status ${res.status} ${Buffer.from(answer).toString().slice(0, 200)}`);
        if (ms > ANSWER_DEADLINE_MS) problems.push(`#${index}: answered after ${Math.round(ms)} ms`);
        if (res.status !== 200) continue;
        let raw = c.body;
        if (c.gzip) raw = (await import("node:zlib")).gunzipSync(c.body);
        const message = res.headers.get("content-type") === "application/x-protobuf"
          ? ((ExportTraceServiceResponse.decode(answer) as { partialSuccess?: { errorMessage?: string } }).partialSuccess?.errorMessage ?? "")
          : ((JSON.parse(Buffer.from(answer).toString()) as { partialSuccess?: { errorMessage?: string } }).partialSuccess?.errorMessage ?? "");
        const refused = message.match(/refused by the database/g)?.length ?? 0;
        if (refused > 0) problems.push(`#${index}: the database refused ${refused} decoded span(s)`);
        for (const key of oracle(c, raw)) acknowledged.add(key);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`fuzz: answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ${acknowledged.size} spans acknowledged`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // The mix really exercised both sides: plenty accepted, plenty refused.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 10);

    const byTrace = new Map<string, Set<string>>();
    for (const key of acknowledged) {
      const [traceId, spanId] = key.split("/") as [string, string];
      byTrace.set(traceId, (byTrace.get(traceId) ?? new Set()).add(spanId));
    }
    const missing: string[] = [];
    const traceIds = [...byTrace.keys()];
    let t = 0;
    const reader = async () => {
      while (t < traceIds.length) {
        const traceId = traceIds[t++]!;
        const res = await fetch(`${base}/api/traces/${traceId}`);
        if (res.status !== 200) { missing.push(`${traceId}: ${res.status}`); continue; }
        const spans = ((await res.json()) as { spans: unknown[] }).spans.map((s) => StoredSpanSchema.parse(s));
        const stored = new Set(spans.map((s) => s.spanId));
        for (const spanId of byTrace.get(traceId)!) if (!stored.has(spanId)) missing.push(`${traceId}/${spanId}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, reader));
    expect(missing.slice(0, 20)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(REQUESTS / 10);
  });
});
