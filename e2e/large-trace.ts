import { randomBytes } from "node:crypto";
import pg from "pg";
import { insertSpans } from "../server/store/write.ts";
import type { StoredSpan } from "../server/store/types.ts";

const SERVICES = ["order", "inventory", "notification", "payments", "shipping"] as const;
const KINDS = ["SERVER", "CLIENT", "INTERNAL", "PRODUCER", "CONSUMER"] as const;

/**
 * A synthetic trace of `count` spans: a 4-ary tree, services rotating by depth, one span in
 * ERROR, start times strictly inside their parent's window. For the waterfall's windowing test.
 */
export function makeLargeTrace(count: number): StoredSpan[] {
  const traceId = randomBytes(16).toString("hex");
  const baseNs = BigInt(Date.now()) * 1_000_000n;
  const spans: StoredSpan[] = [];
  const window: { start: bigint; end: bigint }[] = [];
  for (let i = 0; i < count; i++) {
    const parent = i === 0 ? -1 : Math.floor((i - 1) / 4);
    const depth = parent < 0 ? 0 : Math.floor(Math.log(3 * i + 1) / Math.log(4));
    const outer = parent < 0 ? { start: baseNs, end: baseNs + 2_000_000_000n } : window[parent]!;
    const slot = BigInt((i - 1) % 4);
    const length = (outer.end - outer.start) / 5n;
    const start = parent < 0 ? outer.start : outer.start + length * slot + length / 10n;
    const end = parent < 0 ? outer.end : start + (length * 8n) / 10n;
    window.push({ start, end });
    const service = SERVICES[depth % SERVICES.length]!;
    spans.push({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, "0"),
      parentSpanId: parent < 0 ? null : (parent + 1).toString(16).padStart(16, "0"),
      name: parent < 0 ? "load-test.root" : `${service}.step-${i}`,
      kind: KINDS[i % KINDS.length]!,
      serviceName: service,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: end.toString(),
      durationNs: (end - start).toString(),
      status: i === 7 ? { code: "ERROR", message: "synthetic failure" } : { code: "UNSET", message: null },
      attributes: { "app.step": i },
      events: [],
      links: [],
      resource: { "service.name": service },
      scopeName: "e2e",
    });
  }
  return spans;
}

/** Writes `spans` to the test span store the way the collector does. */
export async function seedSpans(databaseUrl: string, spans: StoredSpan[]): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    for (let i = 0; i < spans.length; i += 1_000) await insertSpans(pool, spans.slice(i, i + 1_000));
  } finally {
    await pool.end();
  }
}
