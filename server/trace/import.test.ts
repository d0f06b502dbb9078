import { describe, expect, it, vi } from "vitest";
import type { StoredSpan } from "../store/types.ts";
import { detectFormat, ImportError } from "./import-decode.ts";
import { importTraceFile, IMPORTED_KEY, markImported, ORIGINAL_TRACE_ID_KEY, type ImportStore } from "./import.ts";
import { toOtlpJson } from "./otlp-json.ts";
import orderFlow from "./fixtures/order-flow.json" with { type: "json" };

const flow = orderFlow as unknown as StoredSpan[];
const NOW_NS = 1_800_000_000_000_000_000n;
const OTHER_TRACE = "1".repeat(32);

function fakeStore(stored: string[] = []): ImportStore & { inserted: StoredSpan[] } {
  const inserted: StoredSpan[] = [];
  return {
    inserted,
    findStoredTraceIds: vi.fn(async (ids: readonly string[]) => ids.filter((id) => stored.includes(id))),
    insertSpans: vi.fn(async (spans: readonly StoredSpan[]) => void inserted.push(...spans)),
  };
}

/** The order flow under another trace id, its consumer linking back to the first trace. */
function secondTrace(): StoredSpan[] {
  return flow.map((s) => ({
    ...s,
    traceId: OTHER_TRACE,
    links: s.name === "process order-events" ? [{ traceId: flow[0]!.traceId, spanId: "a000000000000004", attributes: {} }] : [],
  }));
}

describe("trace file import", () => {
  it("detects the format from the parsed file", () => {
    expect(detectFormat({ resourceSpans: [] })).toBe("otlp-json");
    expect(detectFormat([{ resourceSpans: [] }, { resource_spans: [] }])).toBe("otlp-json");
    expect(detectFormat({ data: [{ traceID: "1", spans: [], processes: {} }] })).toBe("jaeger-json");
    expect(detectFormat({ spans: [] })).toBe("jaeger-json");
    expect(detectFormat({ traces: [] })).toBeNull();
    expect(detectFormat("text")).toBeNull();
  });

  it("reads OTLP JSON lines (an OTel Collector file export) as one import of every trace", async () => {
    const store = fakeStore();
    const lines = [toOtlpJson(flow), toOtlpJson(secondTrace())].map((r) => JSON.stringify(r)).join("\n");
    const result = await importTraceFile(lines, { rekey: false, nowNs: NOW_NS }, store);
    expect(result.traces.map((t) => [t.traceId, t.spanCount])).toEqual([
      [flow[0]!.traceId, 5],
      [OTHER_TRACE, 5],
    ]);
    expect(store.insertSpans).toHaveBeenCalledTimes(1);
    expect(store.inserted.every((s) => s.resource[IMPORTED_KEY] === true)).toBe(true);
  });

  it("refuses stored trace ids with 409 before writing anything", async () => {
    const store = fakeStore([OTHER_TRACE]);
    const importing = importTraceFile(JSON.stringify(toOtlpJson([...flow, ...secondTrace()])), { rekey: false, nowNs: NOW_NS }, store);
    await expect(importing).rejects.toMatchObject({ status: 409, traceIds: [OTHER_TRACE] });
    await expect(importing).rejects.toBeInstanceOf(ImportError);
    expect(store.insertSpans).not.toHaveBeenCalled();
  });

  it("re-keys a copy: new trace ids, links into the file follow, links elsewhere stay, the original id is kept", async () => {
    const store = fakeStore([flow[0]!.traceId, OTHER_TRACE]);
    const fresh = ["a".repeat(32), "b".repeat(32)];
    const file = JSON.stringify(toOtlpJson([...flow, ...secondTrace()]));
    const result = await importTraceFile(file, { rekey: true, nowNs: NOW_NS, newTraceId: () => fresh.shift()! }, store);
    expect(result.traces.map((t) => [t.traceId, t.originalTraceId])).toEqual([
      ["a".repeat(32), flow[0]!.traceId],
      ["b".repeat(32), OTHER_TRACE],
    ]);
    const consumer = store.inserted.find((s) => s.traceId === "b".repeat(32) && s.name === "process order-events")!;
    expect(consumer.links[0]!.traceId).toBe("a".repeat(32));
    expect(consumer.resource[ORIGINAL_TRACE_ID_KEY]).toBe(OTHER_TRACE);
    expect(store.findStoredTraceIds).not.toHaveBeenCalled();
  });

  it("marks without mutating, and spans sharing a resource still share one", () => {
    const shared = { "service.name": "order" };
    const spans = flow.slice(2, 5).map((s) => ({ ...s, resource: shared }));
    const marked = markImported(spans, "jaeger-json", null);
    expect(marked[0]!.resource).toBe(marked[1]!.resource);
    expect(marked[0]!.resource).toEqual({ "service.name": "order", [IMPORTED_KEY]: true, "switchyard.import.format": "jaeger-json" });
    expect(shared).toEqual({ "service.name": "order" });
  });
});
