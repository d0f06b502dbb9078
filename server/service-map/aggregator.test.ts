import { describe, expect, it } from "vitest";
import type pg from "pg";
import type { StoredSpan } from "../store/types.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };
import { ServiceMapAggregator } from "./aggregator.ts";

const spans = orderFlow as unknown as StoredSpan[];

type Call = { sql: string; params: unknown[] };

/** A pool that records statements; span lookups answer from `stored`. */
function fakePool(stored: StoredSpan[] = []) {
  const calls: Call[] = [];
  const pool = {
    query: async (sql: string, params: unknown[] = []) => {
      calls.push({ sql, params });
      if (sql.includes("FROM telemetry.spans")) {
        const ids = params[1] as string[];
        const rows = stored.filter((s) => ids.includes(s.spanId))
          .map((s) => ({ span_id: s.spanId, service_name: s.serviceName, kind: ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"].indexOf(s.kind) }));
        return { rows, rowCount: rows.length };
      }
      return { rows: [], rowCount: 0 };
    },
  };
  return { pool: pool as unknown as pg.Pool, calls };
}

/** Edges written so far, `from -> to type xN`, summed over all flushes. */
function writtenEdges(calls: Call[]): string[] {
  const sums = new Map<string, number>();
  for (const { sql, params } of calls) {
    if (!sql.includes("INSERT INTO telemetry.edge_minutes")) continue;
    const [, from, to, type, count] = params as [number[], string[], string[], string[], number[]];
    from.forEach((f, i) => {
      const key = `${f} -> ${to[i]} ${type[i]}`;
      sums.set(key, (sums.get(key) ?? 0) + count[i]!);
    });
  }
  return [...sums].map(([k, n]) => `${k} x${n}`).sort();
}

function writtenInstances(calls: Call[]): string[] {
  return calls.filter((c) => c.sql.includes("INSERT INTO telemetry.instance_minutes"))
    .flatMap(({ params }) => (params[2] as string[]).map((id, i) => `${id}=${(params[3] as number[])[i]}`)).sort();
}

const options = { flushIntervalMs: 1000, holdMs: 10_000, maxRecentSpans: 1000, maxPending: 1000, retentionMs: 86_400_000 };
const syncEdges = (calls: Call[]) => writtenEdges(calls).filter((e) => e.includes(" sync "));

describe("ServiceMapAggregator", () => {
  it("pairs SERVER spans with parents that arrive in a later batch (children first)", async () => {
    const { pool, calls } = fakePool();
    let now = 0;
    const agg = new ServiceMapAggregator(pool, { ...options, now: () => now });
    agg.fold(spans.filter((s) => s.kind !== "CLIENT"));
    await agg.flush();
    expect(syncEdges(calls)).toEqual([]); // parents not here yet, and not due for a lookup
    now = 2_000;
    agg.fold(spans.filter((s) => s.kind === "CLIENT"));
    await agg.flush();
    expect(syncEdges(calls)).toEqual([
      "service:gateway -> service:order sync x1",
      "service:order -> service:inventory sync x2",
      "service:order -> service:payment sync x1",
    ]);
    // The claimed CLIENT spans never turn into peer edges, even after the hold.
    now = 60_000;
    await agg.flush();
    expect(syncEdges(calls)).toHaveLength(3);
    expect(writtenEdges(calls)).toHaveLength(13);
    expect(agg.orphanServers).toBe(0);
  });

  it("holds subscribers that arrive before their producer and draws them from the topic", async () => {
    const { pool, calls } = fakePool();
    const agg = new ServiceMapAggregator(pool, options);
    agg.fold(spans.filter((s) => s.kind === "CONSUMER"));
    await agg.flush();
    expect(writtenEdges(calls).filter((e) => e.startsWith("queue:order-events"))).toEqual([]);
    agg.fold(spans.filter((s) => s.kind !== "CONSUMER"));
    await agg.flush();
    expect(writtenEdges(calls).filter((e) => e.startsWith("queue:order-events"))).toEqual([
      "queue:order-events -> service:analytics event x1",
      "queue:order-events -> service:notification event x1",
      "queue:order-events -> service:shipping event x1",
    ]);
  });

  it("counts a batch delivered twice (exporter retry) once", async () => {
    const { pool, calls } = fakePool();
    const agg = new ServiceMapAggregator(pool, options);
    agg.fold(spans);
    agg.fold(spans);
    await agg.flush();
    expect(writtenEdges(calls)).toContain("service:order -> service:inventory sync x2");
    expect(writtenEdges(calls)).toContain("service:order -> queue:order-events event x1");
    expect(writtenInstances(calls)).toEqual([
      "analytics-1=1", "gateway-1=1", "inventory-1=1", "inventory-2=1", "notification-1=1", "order-1=2", "payment-1=2", "shipping-1=2",
    ]);
  });

  it("resolves parents older than its memory through the span table after the hold", async () => {
    const clients = spans.filter((s) => s.kind === "CLIENT");
    const { pool, calls } = fakePool(clients);
    let now = 0;
    const agg = new ServiceMapAggregator(pool, { ...options, now: () => now });
    agg.fold(spans.filter((s) => s.kind === "SERVER"));
    now = 10_001;
    await agg.flush();
    expect(calls.some((c) => c.sql.includes("FROM telemetry.spans"))).toBe(true);
    expect(syncEdges(calls)).toEqual([
      "service:gateway -> service:order sync x1",
      "service:order -> service:inventory sync x2",
      "service:order -> service:payment sync x1",
    ]);
  });

  it("turns CLIENT spans no server answered into peer edges after the hold, and drops orphans on close", async () => {
    const { pool, calls } = fakePool();
    let now = 0;
    const agg = new ServiceMapAggregator(pool, { ...options, now: () => now });
    const payment = spans.find((s) => s.name === "payment.charge" && s.kind === "CLIENT")!;
    const orphan = spans.find((s) => s.name === "inventory.reserveStock" && s.kind === "SERVER")!;
    agg.fold([payment, orphan]);
    await agg.flush();
    expect(syncEdges(calls)).toEqual([]);
    now = 10_001;
    await agg.flush();
    expect(syncEdges(calls)).toEqual(["service:order -> service:payment sync x1"]);
    await agg.close();
    expect(agg.orphanServers).toBe(1);
    expect(syncEdges(calls)).toHaveLength(1);
  });

  it("keeps the sums of a failed write for the next flush", async () => {
    const { pool, calls } = fakePool();
    const failing = { query: async () => Promise.reject(new Error("db down")) } as unknown as pg.Pool;
    const errors: string[] = [];
    const agg = new ServiceMapAggregator(failing, { ...options, onError: (m) => errors.push(m) });
    agg.fold(spans);
    await agg.flush();
    expect(errors).toContain("service map: writing edge aggregates failed");
    (agg as unknown as { pool: pg.Pool }).pool = pool;
    await agg.flush();
    expect(writtenEdges(calls)).toHaveLength(13);
  });
});
